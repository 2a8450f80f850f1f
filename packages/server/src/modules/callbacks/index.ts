export { createCallbacksService, type CallbacksService } from './callbacks.service';
export { callbackRoutes } from './callbacks.routes';
export { callbackRates } from './callbacks.rates';
export {
  CALLBACKS_CONSUMER,
  causesOf,
  scheduleCallbacks,
  startCallbacksConsumer,
} from './callbacks.schedule';
