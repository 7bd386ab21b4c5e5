// bench:alerts times alerts at a receiver too; one receiver serves both.
export { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from '@pantau/bench/webhook-receiver';
