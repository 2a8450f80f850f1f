import type { EpisodeView, HoldRequest, OutcomeRequest } from '@fanzha/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { applyEpisode, episodeKey, episodesKey, type EpisodeFilter } from '../../live';

export function useEpisodes(filter: EpisodeFilter) {
  const query = {
    open: filter.isOpen ? ('true' as const) : ('false' as const),
    limit: 200,
    ...(filter.county ? { county: filter.county } : {}),
    ...(filter.isOverdueOnly ? { overdue: 'true' as const } : {}),
  };
  return useQuery({
    queryKey: episodesKey(filter),
    queryFn: ({ signal }) => api.GET('/api/episodes', { params: { query }, signal }),
  });
}

export function useEpisode(id: string | null) {
  return useQuery({
    queryKey: episodeKey(id ?? ''),
    queryFn: ({ signal }) => api.GET('/api/episodes/{id}', { params: { path: { id: id! } }, signal }),
    enabled: id !== null,
  });
}

export type EpisodeCommand =
  | { kind: 'take' }
  | ({ kind: 'outcome' } & OutcomeRequest)
  | ({ kind: 'hold' } & HoldRequest)
  | { kind: 'approve' | 'reject' | 'release' };

/** Each command has its own route; a retry of the same click carries the same idempotency key. */
function send(id: string, command: EpisodeCommand, key: string): Promise<EpisodeView> {
  const params = { path: { id }, header: { 'idempotency-key': key } };
  switch (command.kind) {
    case 'take':
      return api.POST('/api/episodes/{id}/take', { params: { path: { id } }, body: {} });
    case 'outcome': {
      const { kind: _, ...body } = command;
      return api.POST('/api/episodes/{id}/outcome', { params, body });
    }
    case 'hold': {
      const { kind: _, ...body } = command;
      return api.POST('/api/episodes/{id}/hold', { params, body });
    }
    case 'approve':
      return api.POST('/api/episodes/{id}/hold/approve', { params, body: {} });
    case 'reject':
      return api.POST('/api/episodes/{id}/hold/reject', { params, body: {} });
    case 'release':
      return api.POST('/api/episodes/{id}/hold/release', { params, body: {} });
  }
}

/** A persuader's step on an episode: take it, record an outcome, or request / approve / release a hold. */
export function useEpisodeCommand() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, command, key }: { id: string; command: EpisodeCommand; key: string }) =>
      send(id, command, key),
    onSuccess: (episode) => {
      client.setQueryData(episodeKey(episode.id), episode);
      applyEpisode(client, episode);
    },
  });
}
