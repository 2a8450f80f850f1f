import { ConsolePlaceholder } from '../../ui';

export default function BankPage() {
  return <ConsolePlaceholder console="bank" />;
}
