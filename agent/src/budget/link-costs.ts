/**
 * Estimated bytes on the link (IP layer, what a metered plan counts) for the agent's own probes.
 *
 * ICMP echo: the system `ping` sends 56 bytes of data + 8 ICMP header + 20 IPv4 header = 84 bytes;
 * the reply is the same size. 84 + 84 = 168 bytes per answered echo, which matches the design note
 * (3 echoes a minute ≈ 3 × 60 × 24 × 30 × 168 ≈ 22 MB a month).
 */
export const ICMP_ECHO_REQUEST_BYTES = 84;
export const ICMP_ECHO_REPLY_BYTES = 84;

/**
 * TCP connect and close, IPv4, Linux defaults (timestamps on, so 12 bytes of options per segment):
 * SYN 60 (20 IP + 20 TCP + 20 options: MSS, SACK-permitted, timestamps, window scale),
 * SYN-ACK 60, ACK 52, then our FIN 52, the peer's FIN-ACK 52 and our last ACK 52 = 328 bytes.
 */
export const TCP_CONNECT_BYTES = 60 + 60 + 52 + 52 + 52 + 52;
/** A refused or unanswered attempt: our SYN (60), a retransmission or the peer's RST (40-60). */
export const TCP_FAILED_ATTEMPT_BYTES = 120;

/**
 * HTTP payload counted by the throughput test, grossed up for TCP/IP headers: 52 of every
 * 1500-byte segment (3.5 %) plus the ACKs flowing the other way (one 52-byte ACK per two segments,
 * 1.7 %), rounded up to 6 %.
 */
export const HTTP_OVERHEAD_FACTOR = 1.06;

export function icmpEchoBytes(sent: number, received: number): number {
  return sent * ICMP_ECHO_REQUEST_BYTES + received * ICMP_ECHO_REPLY_BYTES;
}

export function tcpAttemptsBytes(connected: number, failed: number): number {
  return connected * TCP_CONNECT_BYTES + failed * TCP_FAILED_ATTEMPT_BYTES;
}

export function httpLinkBytes(payloadBytes: number): number {
  return Math.ceil(payloadBytes * HTTP_OVERHEAD_FACTOR);
}
