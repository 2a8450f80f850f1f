// The consoles as people use them: submitting, the call's clock, sessions, the desk's queue, the live state.
// Kept in a file of their own and spread into both dictionaries (as freezes is). zh-CN is the
// reference; the English one must have the same keys.
export const consolesZh = {
  'crash.title': '页面出错了',
  'crash.subtitle': '此页面遇到意外错误，已输入的接警内容仍保存在本机。请重新加载，或返回首页。',
  'crash.reload': '重新加载',
  'crash.home': '返回首页',

  'live.stale': '实时推送已中断，页面上的数据可能不是最新的；恢复后自动补齐。',

  'desk.search': '按警情编号或卡号查找',
  'desk.search.none': '没有符合查找条件的待发送请求',

  'session.warnIdle.title': '即将因长时间无操作退出登录',
  'session.warnIdle.body': '为保护数据安全，长时间无操作的会话会自动结束。如需继续使用，请点击“继续工作”。',
  'session.warnEnd.title': '登录即将到期',
  'session.warnEnd.body': '本次登录将于 {time} 到达最长时限，届时需要重新登录。请先保存手头工作。',
  'session.continue': '继续工作',
  'session.understood': '知道了',
  'session.ended.title': '登录已结束',
  'session.ended.body':
    '会话已超时或已在别处退出，此页面不再更新，也不会保存新的内容。重新登录后将回到此页面。',
  'session.ended.signIn': '重新登录',
  'intake.save.failed': '保存失败：{reason}',

  'intake.answer': '接听',
  'intake.answer.hint': '来电接起时按下（或直接开始录入），接警计时由此开始。',
  'intake.submitted.title': '接警单已提交',
  'intake.submitted.readBack': '请向报警人告知警情编号：',
} as const;

export const consolesEn: Record<keyof typeof consolesZh, string> = {
  'crash.title': 'Something went wrong',
  'crash.subtitle':
    'This page hit an unexpected error. What was typed at intake is still kept in this browser. Reload, or go back home.',
  'crash.reload': 'Reload',
  'crash.home': 'Back to home',

  'live.stale':
    'Live updates are interrupted: what this page shows may be out of date. It catches up once reconnected.',

  'desk.search': 'Find by report or card number',
  'desk.search.none': 'No request waiting to be sent matches the search',

  'session.warnIdle.title': 'You will be signed out for inactivity',
  'session.warnIdle.body':
    'To protect the data, a session left unused ends by itself. To keep working, choose “Keep working”.',
  'session.warnEnd.title': 'Your sign-in is about to expire',
  'session.warnEnd.body':
    'This sign-in reaches its time limit at {time}; you will then need to sign in again. Save your work first.',
  'session.continue': 'Keep working',
  'session.understood': 'Understood',
  'session.ended.title': 'Your session has ended',
  'session.ended.body':
    'The session timed out or was signed out elsewhere: this page no longer updates or saves. Sign in again to come back to it.',
  'session.ended.signIn': 'Sign in again',
  'intake.save.failed': 'Not saved: {reason}',

  'intake.answer': 'Answer call',
  'intake.answer.hint': 'Press when you pick up the call (or just start typing): the clock starts then.',
  'intake.submitted.title': 'Report submitted',
  'intake.submitted.readBack': 'Read the report number back to the caller:',
};
