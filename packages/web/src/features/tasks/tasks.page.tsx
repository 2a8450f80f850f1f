import { ConsolePlaceholder } from '../../ui';

export default function TasksPage() {
  return <ConsolePlaceholder console="tasks" />;
}
