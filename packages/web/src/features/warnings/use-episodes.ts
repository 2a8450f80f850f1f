import type { EpisodeSummary } from '@fanzha/contracts';
import type { PersuasionOutcome } from '@fanzha/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { useLiveStream } from '../../live';

export const EPISODES_KEY = '/api/episodes';

export function useEpisodes(isOpen: boolean) {
  return useQuery({
    queryKey: [EPISODES_KEY, isOpen],
    queryFn: ({ signal }) =>
      api.GET('/api/episodes', {
        params: { query: { open: isOpen ? 'true' : 'false', limit: 200 } },
        signal,
      }),
  });
}

/** Every list reloads when an episode changes live (or after a reconnect): the order depends on it. */
export function useEpisodeStream() {
  const client = useQueryClient();
  return useLiveStream((message) => {
    if (message === null || message.type === 'episode')
      void client.invalidateQueries({ queryKey: [EPISODES_KEY] });
  });
}

export type EpisodeCommand =
  | { kind: 'take' }
  | { kind: 'outcome'; outcome: PersuasionOutcome }
  | { kind: 'hold'; reason: string; hours: number }
  | { kind: 'approve' | 'reject' | 'release' };

function send(id: string, c: EpisodeCommand) {
  const params = { path: { id } };
  switch (c.kind) {
    case 'take':
      return api.POST('/api/episodes/{id}/take', { params, body: {} });
    case 'outcome':
      return api.POST('/api/episodes/{id}/outcome', { params, body: { outcome: c.outcome } });
    case 'hold':
      return api.POST('/api/episodes/{id}/hold', { params, body: { reason: c.reason, hours: c.hours } });
    case 'approve':
      return api.POST('/api/episodes/{id}/hold/approve', { params, body: {} });
    case 'reject':
      return api.POST('/api/episodes/{id}/hold/reject', { params, body: {} });
    case 'release':
      return api.POST('/api/episodes/{id}/hold/release', { params, body: {} });
  }
}

/** One command on an episode; the lists reload from the answer's moment on. */
export function useEpisodeCommand() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ episode, command }: { episode: EpisodeSummary; command: EpisodeCommand }) =>
      send(episode.id, command),
    onSuccess: () => void client.invalidateQueries({ queryKey: [EPISODES_KEY] }),
  });
}
