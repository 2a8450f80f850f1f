// Accounts after the first day: the first admin of an installation, password resets (a one-time password
// the user replaces at the next sign-in) and changes of role and scope. Spread into both dictionaries;
// zh-CN is the reference and the English one must have the same keys.
export const accountsZh = {
  'signIn.firstAdmin.title': '尚无管理员账号：请先创建第一个管理员',
  'signIn.firstAdmin.intro':
    '系统中还没有任何管理员，因此无人能登录创建用户。由运维人员在服务器上任选一种方式：',
  'signIn.firstAdmin.env':
    '以环境变量 FANZHA_BOOTSTRAP_ADMIN=用户名:密码（至少 12 位）重启服务；仅在没有管理员时创建，创建后请删除该变量。',
  'signIn.firstAdmin.cli':
    '或在服务器上运行下列命令（按提示输入密码），并使用与服务相同的 DATABASE_URL 和 FANZHA_SECRET_KEY；使用内置数据库时须先停止服务，并设置相同的 FANZHA_DATA_DIR：',
  'signIn.firstAdmin.then': '然后用该账号登录，首次登录时绑定身份验证器。',
  'signIn.newPassword.title': '请设置新密码',
  'signIn.newPassword.hint': '您的密码已由管理员重置，仅可使用一次。请设置新密码后继续登录。',
  'signIn.newPassword': '新密码',
  'signIn.newPassword.confirm': '再次输入新密码',
  'signIn.newPassword.mismatch': '两次输入的新密码不一致',
  'signIn.newPassword.rules': '至少 12 位，不含用户名，至少 5 个不同字符，且不能与一次性密码相同',
  'signIn.newPassword.submit': '设置新密码并继续',
  'admin.reason.same_password': '新密码不能与一次性密码相同',
  'admin.reason.password_change_required': '须设置新密码',
  'admin.action.resetPassword': '重置密码',
  'admin.action.editRole': '修改角色',
  'admin.confirm.resetPassword': '重置 {username} 的密码？',
  'admin.confirm.resetPasswordDetail':
    '将生成一次性密码，原密码立即失效、该用户立即退出登录；下次登录时须设置新密码。身份验证器保留。',
  'admin.otp.title': '{username} 的一次性密码',
  'admin.otp.hint': '请当面或通过安全渠道交给本人。此密码只显示这一次，仅可登录一次，登录时须设置新密码。',
  'admin.otp.copy': '复制',
  'admin.otp.done': '我已记下',
  'admin.mustChangePassword': '待改密码',
  'admin.role.title': '修改 {username} 的角色和范围',
  'admin.role.hint': '角色和绑定范围整体替换；该用户将立即退出登录，重新登录后按新角色使用。',
  'admin.role.save': '保存',
  'admin.role.done': '已修改 {username} 的角色',
  'admin.error.role': '无法修改角色',
};

export const accountsEn: Record<keyof typeof accountsZh, string> = {
  'signIn.firstAdmin.title': 'No admin account yet: create the first admin',
  'signIn.firstAdmin.intro':
    'There is no admin yet, so nobody can sign in to create users. Whoever runs the server does one of these:',
  'signIn.firstAdmin.env':
    'Restart the server with FANZHA_BOOTSTRAP_ADMIN=username:password (12 or more characters). It is created only while no admin exists; remove the variable afterwards.',
  'signIn.firstAdmin.cli':
    'Or run this on the server (it asks for the password) with the same DATABASE_URL and FANZHA_SECRET_KEY as the server; on the embedded database, stop the server first and use the same FANZHA_DATA_DIR:',
  'signIn.firstAdmin.then': 'Then sign in with that account and enrol an authenticator.',
  'signIn.newPassword.title': 'Choose a new password',
  'signIn.newPassword.hint':
    'An admin reset your password; it works once. Choose a new password to go on signing in.',
  'signIn.newPassword': 'New password',
  'signIn.newPassword.confirm': 'New password again',
  'signIn.newPassword.mismatch': 'The two new passwords differ',
  'signIn.newPassword.rules':
    'At least 12 characters, not containing the username, 5 or more different characters, not the one-time password',
  'signIn.newPassword.submit': 'Set the new password and go on',
  'admin.reason.same_password': 'The new password must differ from the one-time password',
  'admin.reason.password_change_required': 'A new password is required',
  'admin.action.resetPassword': 'Reset password',
  'admin.action.editRole': 'Change role',
  'admin.confirm.resetPassword': "Reset {username}'s password?",
  'admin.confirm.resetPasswordDetail':
    'A one-time password is made; the old password stops working and the user is signed out. At the next sign-in they must choose a new password. The authenticator is kept.',
  'admin.otp.title': 'One-time password for {username}',
  'admin.otp.hint':
    'Hand it over in person or through a secure channel. It is shown only now, works for one sign-in, and must be replaced then.',
  'admin.otp.copy': 'Copy',
  'admin.otp.done': 'I have noted it',
  'admin.mustChangePassword': 'Password to change',
  'admin.role.title': "Change {username}'s role and scope",
  'admin.role.hint':
    'Role and scope are replaced together; the user is signed out at once and signs in again with the new role.',
  'admin.role.save': 'Save',
  'admin.role.done': "{username}'s role changed",
  'admin.error.role': 'The role could not be changed',
};
