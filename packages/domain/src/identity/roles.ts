/**
 * Who uses fanzha. Each role sees its own consoles; liaison and county roles are also bound to one bank,
 * operator or county, and see only that scope's objects. `auditor` reads the audit trail and nothing
 * else (separation of duties: the admin manages accounts but cannot read or verify the trail).
 */
export const roles = [
  'call_taker',
  'stop_payment_officer',
  'bank_liaison',
  'telecom_liaison',
  'county_police',
  'persuader',
  'analyst',
  'supervisor',
  'wall',
  'admin',
  'auditor',
] as const;
export type Role = (typeof roles)[number];

export const roleNamesZh: Record<Role, string> = {
  call_taker: '接警员',
  stop_payment_officer: '止付专员',
  bank_liaison: '驻场银行人员',
  telecom_liaison: '驻场运营商人员',
  county_police: '属地民警',
  persuader: '劝阻员',
  analyst: '研判分析员',
  supervisor: '值班长',
  wall: '大屏',
  admin: '系统管理员',
  auditor: '安全审计员',
};

export const consoles = [
  'intake',
  'stop-payment',
  'bank',
  'operator',
  'county',
  'warnings',
  'countermeasures',
  'two-cards',
  'analysis',
  'indicators',
  'tasks',
  'callbacks',
  'wall',
  'admin',
  'audit',
  'publicity',
] as const;
export type Console = (typeof consoles)[number];

export const consolesByRole: Record<Role, readonly Console[]> = {
  call_taker: ['intake', 'callbacks', 'wall'],
  stop_payment_officer: ['stop-payment', 'intake', 'wall'],
  bank_liaison: ['bank'],
  telecom_liaison: ['operator'],
  county_police: ['county'],
  persuader: ['warnings'],
  // Warnings are worked by persuaders and the supervisor (their API serves no other role).
  analyst: ['analysis', 'indicators', 'countermeasures', 'two-cards', 'wall', 'publicity'],
  supervisor: [
    'intake',
    'stop-payment',
    'county',
    'warnings',
    'countermeasures',
    'two-cards',
    'analysis',
    'indicators',
    'tasks',
    'callbacks',
    'wall',
    'publicity',
  ],
  wall: ['wall'],
  admin: ['admin'],
  auditor: ['audit'],
};

/** The telecom operators a telecom liaison can be bound to. */
export const operators = ['china_mobile', 'china_unicom', 'china_telecom', 'china_broadnet'] as const;
export type Operator = (typeof operators)[number];

/** Which binding each role needs: exactly one for the scoped roles, none for the others. */
export type ScopeKind = 'bank' | 'operator' | 'county';
/**
 * Roles whose binding may also be left out: a persuader (劝阻员) bound to a county works that county's
 * warning episodes; one without a county sits at the centre's own persuasion desk and works them all.
 */
export const optionalScopeRoles: ReadonlySet<Role> = new Set<Role>(['persuader']);

export const scopeOfRole: Record<Role, ScopeKind | null> = {
  call_taker: null,
  stop_payment_officer: null,
  bank_liaison: 'bank',
  telecom_liaison: 'operator',
  county_police: 'county',
  persuader: 'county',
  analyst: null,
  supervisor: null,
  wall: null,
  admin: null,
  auditor: null,
};
