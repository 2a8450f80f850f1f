import { ConsolePlaceholder } from '../../ui';

export default function IntakePage() {
  return <ConsolePlaceholder console="intake" />;
}
