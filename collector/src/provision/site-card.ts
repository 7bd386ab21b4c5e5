export interface SiteCardText {
  readonly siteId: string;
  readonly place: string | null;
  readonly brokerUrl: string;
  readonly password: string;
}

/** The few lines a technician can read out or type on the Pi if the files do not travel with them. */
export function siteCardText(card: SiteCardText): string {
  return [
    `Pantau site ${card.siteId}${card.place === null ? '' : ` - ${card.place}`}`,
    `  broker    ${card.brokerUrl}`,
    `  username  ${card.siteId}`,
    `  password  ${card.password}`,
    '',
  ].join('\n');
}

export interface SiteQr {
  /** Drawn with block characters, for the terminal. */
  readonly terminal: string;
  readonly svg: string;
  readonly png: Buffer;
}

/**
 * The agent config as a QR code: a phone photographs it at the NOC's screen or from paper, and its
 * text is the whole /etc/pantau/agent.yaml. Error correction M (15 %): a printed card may get dirty.
 */
export async function siteQr(text: string): Promise<SiteQr> {
  // Loaded here, not with the module: every other command of the bin would pay for it at start.
  const { default: QRCode } = await import('qrcode');
  const options = { errorCorrectionLevel: 'M' } as const;
  const [terminal, svg, png] = await Promise.all([
    QRCode.toString(text, { ...options, type: 'terminal', small: true }),
    QRCode.toString(text, { ...options, type: 'svg', margin: 4 }),
    QRCode.toBuffer(text, { ...options, type: 'png', margin: 4, scale: 6 }),
  ]);
  return { terminal, svg, png };
}
