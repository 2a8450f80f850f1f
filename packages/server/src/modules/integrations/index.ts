export { authenticateBankKey, isBankKeyActive } from './bank-keys.service';
export { bankKeyRoutes } from './bank-keys.routes';
export { authenticateSignalKey, signalKeyEndpoints } from './signal-keys.service';
export { signalKeyRoutes } from './signal-keys.routes';
export {
  createWebhookRetries,
  startPartyNotices,
  startWebhookDelivery,
  startWebhookRetries,
  testDelivery,
  type WebhookRetries,
} from './webhook-delivery.service';
