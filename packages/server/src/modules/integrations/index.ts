export { authenticateBankKey, isBankKeyActive } from './bank-keys.service';
export { bankKeyRoutes } from './bank-keys.routes';
export { authenticateSignalKey, signalKeyEndpoints } from './signal-keys.service';
export { signalKeyRoutes } from './signal-keys.routes';
export { startPartyNotices, startWebhookDelivery, testDelivery } from './webhook-delivery.service';
