import { ConsolePlaceholder } from '../../ui';

export default function StopPaymentPage() {
  return <ConsolePlaceholder console="stop-payment" />;
}
