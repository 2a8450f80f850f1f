import type { EpisodeSummary } from '@fanzha/contracts';
import { gradeRank } from '@fanzha/domain';
import type { QueryClient } from '@tanstack/react-query';

/** The persuasion console's lists and the episode drawer ask these endpoints, keyed by their filter or id. */
export const EPISODES_KEY = '/api/episodes';

export interface EpisodeFilter {
  isOpen: boolean;
  /** The centre's desk and supervisors: one county. */
  county?: string;
  isOverdueOnly?: boolean;
}

export const episodesKey = (filter: EpisodeFilter) => [EPISODES_KEY, filter] as const;
export const episodeKey = (id: string) => [EPISODES_KEY, 'one', id] as const;

export function episodeMatches(e: EpisodeSummary, filter: EpisodeFilter): boolean {
  return (
    e.isOpen === filter.isOpen &&
    (filter.county === undefined || filter.county === e.countyCode) &&
    (!filter.isOverdueOnly || e.isOverdue)
  );
}

/**
 * The order a persuader works in, as the server lists them: overdue first, then the higher grade, then the
 * nearest SLA; closed episodes newest first.
 */
export function byEpisodeUrgency(a: EpisodeSummary, b: EpisodeSummary): number {
  if (a.isOpen !== b.isOpen) return a.isOpen ? -1 : 1;
  if (!a.isOpen) return (b.closedAt ?? '').localeCompare(a.closedAt ?? '');
  if (a.isOverdue !== b.isOverdue) return a.isOverdue ? -1 : 1;
  const grade = gradeRank(b.grade) - gradeRank(a.grade);
  if (grade !== 0) return grade;
  return (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9') || a.openedAt.localeCompare(b.openedAt);
}

export function upsertEpisode(
  list: readonly EpisodeSummary[],
  episode: EpisodeSummary,
  filter: EpisodeFilter,
): EpisodeSummary[] {
  const old = list.find((e) => e.id === episode.id);
  // A late message (an older version) never undoes a newer one.
  if (old && old.version > episode.version) return [...list];
  const rest = list.filter((e) => e.id !== episode.id);
  if (!episodeMatches(episode, filter)) return rest;
  return [...rest, episode].sort(byEpisodeUrgency);
}

/** Applies one changed episode to every list in the cache, each by its own filter, and refreshes its drawer. */
export function applyEpisode(client: QueryClient, episode: EpisodeSummary): void {
  for (const query of client.getQueryCache().findAll({ queryKey: [EPISODES_KEY] })) {
    const filter = query.queryKey[1];
    if (typeof filter !== 'object' || filter === null) continue;
    const data = query.state.data as { episodes: EpisodeSummary[]; next: string | null } | undefined;
    if (!data) continue;
    client.setQueryData(query.queryKey, {
      ...data,
      episodes: upsertEpisode(data.episodes, episode, filter as EpisodeFilter),
    });
  }
  void client.invalidateQueries({ queryKey: episodeKey(episode.id) });
}
