import type { Messages } from './messages';

// Typed against the zh-CN keys: a missing or misspelt key here fails the type check.
export const enUS: Messages = {
  'app.name': '反诈 · fanzha',
  'app.subtitle': 'Anti-telecom-fraud command centre',
  'app.apiDocs': 'API reference',
  'app.language': 'Language',
  'app.navigation': 'Main navigation',
  'app.loading': 'Loading…',

  'nav.home': 'Home',
  'nav.group.reports': 'Reports',
  'nav.group.prevention': 'Prevention',
  'nav.group.command': 'Analysis & command',
  'nav.group.system': 'System',

  'console.intake.title': 'Intake',
  'console.intake.purpose':
    'Type the report while talking: time, amount, receiving account, contact method; each account goes to the stop-payment desk as soon as it is typed.',
  'console.stop-payment.title': 'Stop-payment desk',
  'console.stop-payment.purpose':
    "Send emergency stop-payment requests to the account's bank and track the answers, follow onward transfers layer by layer, and convert to a freeze within 48 hours.",
  'console.bank.title': 'Bank liaison',
  'console.bank.purpose':
    "Receive this bank's stop-payment requests and answer them: stopped or not, amount stopped, balance and onward transfers.",
  'console.operator.title': 'Telecom liaison',
  'console.operator.purpose':
    "Receive this operator's requests to shut down fraud numbers and block URLs, and report the result.",
  'console.county.title': 'County police',
  'console.county.purpose':
    'Receive reports routed to this county, contact the victim and report back before the deadline.',
  'console.warnings.title': 'Warnings',
  'console.warnings.purpose':
    'Turn operator and bank signals into warnings, deduplicate and assign them, and record the outcome of each call, SMS or visit.',
  'console.countermeasures.title': 'Countermeasures',
  'console.countermeasures.purpose':
    'Request shut-downs and blocks of fraud phones, URLs, apps and bank cards, and track the status of each.',
  'console.two-cards.title': 'Two cards',
  'console.two-cards.purpose':
    'Trace SIM and bank cards used in fraud to their holders and opening branches, and flag holders and branches with many cards.',
  'console.analysis.title': 'Analysis',
  'console.analysis.purpose':
    'Link reports that share accounts, phones, URLs or devices, follow money trails and build gang profiles.',
  'console.tasks.title': 'Tasks & supervision',
  'console.tasks.purpose':
    'Issue tasks with an owner and a deadline, track receipt and feedback, and escalate overdue work automatically.',
  'console.wall.title': 'Command wall',
  'console.wall.purpose':
    'The live province picture: reports, stop-payments, warnings, blocked numbers, a county map and the three-minute stop-payment target.',
  'console.admin.title': 'Administration',
  'console.admin.purpose':
    'Manage users, roles, organisations (banks, operators, county police) and analyst thresholds.',

  'placeholder.title': '{console} is not built yet',
  'placeholder.subtitle': 'This capability comes in a later release.',

  'home.title': 'Overview',
  'home.status': 'System status',
  'home.status.ok': 'Operational',
  'home.status.degraded': 'Degraded',
  'home.field.status': 'Status',
  'home.field.version': 'Version',
  'home.field.storage': 'Storage',
  'home.field.bus': 'Event bus',
  'home.field.role': 'Process role',
  'home.field.uptime': 'Uptime',
  'home.field.database': 'Database',
  'home.field.outbox': 'Unpublished events',
  'home.database.ok': 'OK',
  'home.database.error': 'Not answering',
  'home.outbox.count': '{count}',
  'home.outbox.oldest': '{count}, oldest {age} ago',
  'home.storage.pglite': 'Embedded PostgreSQL (PGlite)',
  'home.storage.postgres': 'PostgreSQL server',
  'home.bus.memory': 'In-process bus',
  'home.bus.nats': 'NATS JetStream',
  'home.role.all': 'API and workers in one process',
  'home.role.api': 'API only',
  'home.role.worker': 'Workers only',
  'home.error.title': 'Could not load the system status',
  'home.error.detail': 'Code {code} · request {requestId}',
  'home.retry': 'Retry',
  'home.consoles': 'Consoles',

  'wall.back': 'Back',

  'notFound.title': 'Page not found',
  'notFound.back': 'Back to home',

  'duration.days': '{n} d',
  'duration.hours': '{n} h',
  'duration.minutes': '{n} min',
  'duration.seconds': '{n} s',
};
