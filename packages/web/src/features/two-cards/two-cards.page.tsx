import { ConsolePlaceholder } from '../../ui';

export default function TwoCardsPage() {
  return <ConsolePlaceholder console="two-cards" />;
}
