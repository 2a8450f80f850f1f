import { useQueryClient } from '@tanstack/react-query';
import { EPISODES_KEY, applyEpisode } from './episode-cache';
import { useLiveStream } from './live-stream';

/** Keeps every episode list in the cache current from the stream; after a (re)connect, reloads them. */
export function useEpisodeStream() {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null) void client.invalidateQueries({ queryKey: [EPISODES_KEY] });
    else if (message.type === 'episode') applyEpisode(client, message.episode);
  });
}
