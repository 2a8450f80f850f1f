export { authenticateBankKey, isBankKeyActive } from './bank-keys.service';
export { bankKeyRoutes } from './bank-keys.routes';
export { startWebhookDelivery, testDelivery } from './webhook-delivery.service';
