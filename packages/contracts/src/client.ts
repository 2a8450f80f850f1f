import type { ErrorBody, ErrorCode, FieldProblem } from './errors';
import type { AuditList, AuditVerification } from './audit';
import type { SessionInfo, SetupStatus, SignInRequest, SignInResponse, VerifyTotpRequest } from './auth';
import type { HealthResponse } from './health';
import type { CreateUserRequest, PasswordReset, SetUserRoleRequest, UserList, UserView } from './users';
import type {
  InstructionList,
  InstructionResultRequest,
  MeasureConfirmationRequest,
  SignedInstruction,
  SigningKey,
  WebhookTestResult,
} from './bank';
import type { ReportDraftInput, ReportList, ReportView } from './reports';
import type { StopPaymentList, StopPaymentView } from './stop-payments';

/** An error answer from fanzha, with its stable code, field problems and request id. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly requestId: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

/**
 * The typed client that outsiders (CLI, simulator, e2e tests, integrators in TypeScript) use. Request and
 * response types are the contract schemas' own types, so a changed contract breaks their build.
 */
export function createClient(opts: ClientOptions) {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/$/, '');
  // Outside a browser nobody keeps the session cookie: the client does (one session per client).
  const isBrowser = typeof document !== 'undefined';
  let sessionCookie: string | undefined;

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(sessionCookie && !isBrowser ? { cookie: sessionCookie } : {}),
        ...opts.headers,
        ...extraHeaders,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    const session = setCookie?.match(/fanzha_session=[^;]*/)?.[0];
    if (session) sessionCookie = session.endsWith('=') ? undefined : session;
    const text = await res.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const e = (json as ErrorBody | undefined)?.error;
      throw new ApiError(
        res.status,
        e?.code ?? 'internal',
        e?.message ?? res.statusText,
        e?.requestId ?? '',
        e?.details,
      );
    }
    return json as T;
  }

  return {
    request,
    health: () => request<HealthResponse>('GET', '/api/health'),
    signIn: (body: SignInRequest) => request<SignInResponse>('POST', '/api/auth/sign-in', body),
    verifyTotp: (body: VerifyTotpRequest) => request<SessionInfo>('POST', '/api/auth/verify', body),
    session: () => request<SessionInfo>('GET', '/api/auth/session'),
    signOut: () => request<undefined>('POST', '/api/auth/sign-out', {}),
    listUsers: () => request<UserList>('GET', '/api/users'),
    createUser: (body: CreateUserRequest) => request<UserView>('POST', '/api/users', body),
    disableUser: (id: string) => request<UserView>('POST', `/api/users/${id}/disable`, {}),
    enableUser: (id: string) => request<UserView>('POST', `/api/users/${id}/enable`, {}),
    resetTotp: (id: string) => request<UserView>('POST', `/api/users/${id}/reset-totp`, {}),
    resetPassword: (id: string) => request<PasswordReset>('POST', `/api/users/${id}/reset-password`, {}),
    setUserRole: (id: string, body: SetUserRoleRequest) =>
      request<UserView>('PUT', `/api/users/${id}/role`, body),
    setupStatus: () => request<SetupStatus>('GET', '/api/auth/setup'),
    listAudit: (query: { limit?: number; beforeSeq?: number; action?: string; username?: string } = {}) =>
      request<AuditList>('GET', `/api/audit${toQuery(query)}`),
    verifyAudit: () => request<AuditVerification>('GET', '/api/audit/verify'),

    saveReportDraft: (id: string, draft: ReportDraftInput) =>
      request<ReportView>('PUT', `/api/reports/${id}`, draft),
    getReport: (id: string) => request<ReportView>('GET', `/api/reports/${id}`),
    unmaskReport: (id: string, reason: string) =>
      request<ReportView>('POST', `/api/reports/${id}/unmask`, { reason }),
    submitReport: (id: string, version: number) =>
      request<ReportView>('POST', `/api/reports/${id}/submit`, { version }),
    listReports: (query: { status?: string; mine?: 'true' | 'false'; limit?: number } = {}) =>
      request<ReportList>('GET', `/api/reports${toQuery(query)}`),

    stopPaymentQueue: (query: { status?: string; bank?: string; reportId?: string; limit?: number } = {}) =>
      request<StopPaymentList>('GET', `/api/stop-payments${toQuery(query)}`),
    sendStopPayment: (id: string, legalDocNumber: string) =>
      request<StopPaymentView>('POST', `/api/stop-payments/${id}/send`, { legalDocNumber }),

    bankInstructions: (
      query: { status?: string; kind?: string; after?: string; updatedSince?: string; limit?: number } = {},
    ) => request<InstructionList>('GET', `/api/bank/instructions${toQuery(query)}`),
    bankInstruction: (id: string) => request<SignedInstruction>('GET', `/api/bank/instructions/${id}`),
    acknowledgeInstruction: (id: string) =>
      request<SignedInstruction>('POST', `/api/bank/instructions/${id}/ack`, {}),
    /** `signature`: a bank system's X-Fanzha-Signature over `{ instructionId, idempotencyKey, answer }`. */
    answerInstruction: (
      id: string,
      result: InstructionResultRequest,
      idempotencyKey: string,
      signature?: string,
    ) =>
      request<StopPaymentView>('POST', `/api/bank/instructions/${id}/result`, result, {
        'idempotency-key': idempotencyKey,
        ...(signature ? { 'x-fanzha-signature': signature } : {}),
      }),
    /** `signature`: a bank system's X-Fanzha-Signature over `{ instructionId, idempotencyKey, confirmation }`. */
    confirmInstruction: (
      id: string,
      confirmation: MeasureConfirmationRequest,
      idempotencyKey: string,
      signature?: string,
    ) =>
      request<SignedInstruction>('POST', `/api/bank/instructions/${id}/confirm`, confirmation, {
        'idempotency-key': idempotencyKey,
        ...(signature ? { 'x-fanzha-signature': signature } : {}),
      }),
    testWebhook: () => request<WebhookTestResult>('POST', '/api/bank/webhook/test', {}),
    signingKey: () => request<SigningKey>('GET', '/api/bank/signing-key'),
  };
}
export type Client = ReturnType<typeof createClient>;

function toQuery(q: Record<string, string | number | undefined>): string {
  const entries = Object.entries(q).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`;
}
