import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// The follow-up (`episode_follow_up`) read an episode's contacts when an episode event came, and the sweep that
// sends SMS and robot calls published none: a send after the episode's last event (an open episode's SMS, a
// robot call sent after the step was read, a message sent after the episode closed) was never counted, nor its
// robot call as the first call. From now on each send publishes `episode.contacted`; this counts the contacts
// of the rows kept so far again from `episode_contact`, by the rule the follow-up uses today (sent or assigned;
// the strongest channel in the order sms < robot_call < human_call < trusted_contact < carrier_assist < visit;
// the first robot or human call, trusted contact or visit, in seconds from the opening), and changes only the
// rows that differ.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    with made as (
      select c.episode_id,
        count(*) filter (where c.channel = 'sms')::int as sms,
        count(*) filter (where c.channel = 'robot_call')::int as robot_call,
        count(*) filter (where c.channel = 'human_call')::int as human_call,
        count(*) filter (where c.channel = 'trusted_contact')::int as trusted_contact,
        count(*) filter (where c.channel = 'carrier_assist')::int as carrier_assist,
        count(*) filter (where c.channel = 'visit')::int as visit,
        min(coalesce(c.sent_at, c.created_at))
          filter (where c.channel in ('robot_call', 'human_call', 'trusted_contact', 'visit')) as first_at
      from episode_contact c
      where c.status in ('sent', 'assigned')
      group by c.episode_id),
    counted as (
      select f.id, m.sms, m.robot_call, m.human_call, m.trusted_contact, m.carrier_assist, m.visit,
        case
          when m.visit > 0 then 'visit'
          when m.carrier_assist > 0 then 'carrier_assist'
          when m.trusted_contact > 0 then 'trusted_contact'
          when m.human_call > 0 then 'human_call'
          when m.robot_call > 0 then 'robot_call'
          when m.sms > 0 then 'sms'
        end as channel,
        case when m.first_at is not null
          then greatest(0, extract(epoch from (m.first_at - f.opened_at)))::float8 end as first_contact_s
      from episode_follow_up f join made m on m.episode_id = f.id)
    update episode_follow_up f set sms = n.sms, robot_call = n.robot_call, human_call = n.human_call,
      trusted_contact = n.trusted_contact, carrier_assist = n.carrier_assist, visit = n.visit,
      channel = n.channel, first_contact_s = n.first_contact_s, updated_at = now()
    from counted n
    where n.id = f.id
      and (f.sms, f.robot_call, f.human_call, f.trusted_contact, f.carrier_assist, f.visit, f.channel,
        f.first_contact_s) is distinct from (n.sms, n.robot_call, n.human_call, n.trusted_contact,
        n.carrier_assist, n.visit, n.channel, n.first_contact_s)`.execute(db);
}
