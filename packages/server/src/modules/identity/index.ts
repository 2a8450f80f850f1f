export { SESSION_COOKIE, readCookie, type Actor } from '../../platform/actor';
export { createAuthService, signInRules, type AuthService } from './auth.service';
export { authRoutes } from './auth.routes';
export { createUsersService, type UsersService } from './users.service';
export { usersRoutes } from './users.routes';
export {
  DEMO_PASSWORD,
  demoRoutes,
  ensureBootstrapAdmin,
  seedDemoAccounts,
  setDemoAccountsEnabled,
} from './demo-accounts';
export { firstAdminNotice } from './first-admin';
export { startSignInHousekeeping } from './sign-in-housekeeping';
