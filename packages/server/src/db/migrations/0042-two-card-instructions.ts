import { sql, type Kysely } from 'kysely';

// Frozen: a migration never changes once released and never imports application code.
// Two cards (断卡): each measure reaches the parties that carry it out — the banks where the holder's bank cards
// were opened (account measures), the operators (the phone-card limit) — as a signed instruction per party and
// action (applied, lifted), answered by the party. The signed document names the holder's ID number and is
// stored sealed (`instruction`, a jsonb document holding the ciphertext).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table two_card_instruction (
      id uuid primary key,
      seq bigserial not null unique,
      measure_id uuid not null references two_card_measure (id),
      action text not null check (action in ('apply', 'lift')),
      kind text not null check (kind in ('no_non_counter_services', 'no_new_accounts', 'limit_new_phone_cards')),
      party_kind text not null check (party_kind in ('bank', 'operator')),
      party_code text not null,
      status text not null check (status in ('sent', 'acknowledged', 'executed', 'refused')),
      refusal_reason text,
      note text,
      instruction jsonb not null,
      signature text not null,
      key_id text not null,
      algorithm text not null,
      issued_at timestamptz not null,
      acknowledged_at timestamptz,
      executed_at timestamptz,
      refused_at timestamptz,
      updated_at timestamptz not null,
      unique (measure_id, action, party_kind, party_code)
    )`.execute(db);
  await sql`
    create index two_card_instruction_party on two_card_instruction (party_kind, party_code, status, seq)
  `.execute(db);
}
