import { useQueryClient } from '@tanstack/react-query';
import { OPEN_ALERTS_KEY, applyAlert } from './alert-cache';
import { COUNTY_TASKS_KEY, applyCountyTask } from './county-task-cache';
import { useLiveStream } from './live-stream';

/** Keeps every county-task list in the cache current from the stream; after a (re)connect, reloads them. */
export function useCountyTaskStream() {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null) void client.invalidateQueries({ queryKey: [COUNTY_TASKS_KEY] });
    else if (message.type === 'county-task') applyCountyTask(client, message.task);
  });
}

/** Keeps the open alerts current from the stream. */
export function useAlertStream() {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null) void client.invalidateQueries({ queryKey: OPEN_ALERTS_KEY });
    else if (message.type === 'alert') applyAlert(client, message.alert);
  });
}
