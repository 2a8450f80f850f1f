import { freezeRepository as repo } from './freezes.repository';

/** What the legal timers' sweep changes in freezes and decisions when their deadlines pass. */
export const freezeDeadlines = {
  expire: repo.expireFreezes,
  markReturnsOverdue: repo.markReturnsOverdue,
};
