import { LockOutlined, SafetyCertificateFilled, UserOutlined } from '@ant-design/icons';
import type { SignInResponse } from '@fanzha/contracts';
import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  ConfigProvider,
  Flex,
  Form,
  Input,
  Typography,
  theme as antdTheme,
  type InputRef,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { Navigate, useSearchParams } from 'react-router';
import { signIn, verifyTotp } from '../../api';
import { hasMessage, useT } from '../../i18n';
import { readSignedOutReason, safeNext, useSession, useStartSession } from '../../session';
import { LanguageSwitch, darkTheme } from '../../ui';
import { DemoAccountsPanel, DemoCodeButton } from './demo-accounts';
import { Enrolment } from './enrolment';
import { FirstAdminNotice } from './first-admin';
import { NewPasswordFields } from './new-password';
import {
  isPasswordChangeRequired,
  newPasswordReasons,
  signInProblem,
  type SignInProblem,
} from './sign-in-problem';
import { isCompleteCode, normalizeCode } from './totp-input';

type Credentials = { username: string; password: string; newPassword?: string; newPasswordAgain?: string };
type Step = { kind: 'credentials' } | { kind: 'code'; username: string; challenge: SignInResponse };

function ProblemAlert({ problem }: { problem: SignInProblem | null }) {
  const t = useT();
  if (!problem) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="signin-error"
      title={t(problem.key)}
      {...(problem.detail ? { description: problem.detail } : {})}
    />
  );
}

function CredentialsStep({
  username,
  problem,
  onChallenge,
  onProblem,
  demoSlot,
}: {
  username: string;
  demoSlot: HTMLElement | null;
  problem: SignInProblem | null;
  onChallenge: (username: string, challenge: SignInResponse) => void;
  onProblem: (problem: SignInProblem | null) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<Credentials>();
  const mutation = useMutation({ mutationFn: signIn, meta: { isAuthFlow: true } });
  // The password was a one-time password: it stays in the form, and a new one goes with it.
  const [isChangingPassword, setIsChangingPassword] = useState(false);

  const submit = (values: Credentials) => {
    onProblem(null);
    const body = { username: values.username, password: values.password };
    mutation.mutate(isChangingPassword ? { ...body, newPassword: values.newPassword ?? '' } : body, {
      onSuccess: (challenge) => onChallenge(values.username.trim(), challenge),
      onError: (error) => {
        if (isPasswordChangeRequired(error)) return setIsChangingPassword(true);
        const reasons = newPasswordReasons(error);
        if (isChangingPassword && reasons.length > 0) {
          const words = reasons.map((r) => {
            const key = `admin.reason.${r}`;
            return hasMessage(key) ? t(key) : r;
          });
          form.setFields([{ name: 'newPassword', errors: words }]);
          return form.focusField('newPassword');
        }
        setIsChangingPassword(false);
        onProblem(signInProblem('credentials', error, Date.now()));
        form.setFieldsValue({ password: '', newPassword: '', newPasswordAgain: '' });
        form.focusField('password');
      },
    });
  };

  return (
    <Form
      form={form}
      layout="vertical"
      requiredMark={false}
      initialValues={{ username, password: '' }}
      onFinish={submit}
      size="large"
    >
      <Form.Item
        name="username"
        label={t('signIn.username')}
        rules={[{ required: true, whitespace: true, message: t('signIn.username.required') }]}
      >
        <Input
          prefix={<UserOutlined />}
          autoComplete="username"
          autoFocus={!username}
          spellCheck={false}
          autoCapitalize="none"
          data-testid="signin-username"
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('signIn.password')}
        rules={[{ required: true, message: t('signIn.password.required') }]}
      >
        <Input.Password
          prefix={<LockOutlined />}
          autoComplete="current-password"
          autoFocus={Boolean(username)}
          data-testid="signin-password"
        />
      </Form.Item>
      {isChangingPassword && <NewPasswordFields />}
      {problem && (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert problem={problem} />
        </div>
      )}
      <Button type="primary" htmlType="submit" block loading={mutation.isPending} data-testid="signin-submit">
        {t(isChangingPassword ? 'signIn.newPassword.submit' : 'signIn.submit')}
      </Button>
      {/* Demo server only: rendered into the page below the card, filled into this form. */}
      {demoSlot &&
        createPortal(
          <DemoAccountsPanel
            onPick={(account) => {
              form.setFieldsValue({ username: account.username, password: account.password });
              form.submit();
            }}
          />,
          demoSlot,
        )}
    </Form>
  );
}

function CodeStep({
  username,
  challenge,
  onRestart,
}: {
  username: string;
  challenge: SignInResponse;
  onRestart: (problem: SignInProblem | null) => void;
}) {
  const t = useT();
  const startSession = useStartSession();
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<SignInProblem | null>(null);
  const input = useRef<InputRef>(null);
  const mutation = useMutation({ mutationFn: verifyTotp, meta: { isAuthFlow: true } });
  const enrolment = challenge.next === 'enrol_totp' ? challenge.enrolment : undefined;

  const submit = (value: string) => {
    if (!isCompleteCode(value) || mutation.isPending) return;
    setProblem(null);
    mutation.mutate(
      { challengeId: challenge.challengeId, code: value },
      {
        onSuccess: startSession,
        onError: (error) => {
          const next = signInProblem('code', error, Date.now(), challenge.expiresAt);
          if (next.mustRestart) return onRestart(next);
          setProblem(next);
          setCode('');
          input.current?.focus();
        },
      },
    );
  };

  return (
    <Flex vertical gap={16}>
      <div>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t(enrolment ? 'signIn.enrol.title' : 'signIn.code.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('signIn.code.as', { username })}</Typography.Text>
      </div>
      {enrolment ? (
        <Enrolment secret={enrolment.secret} otpauthUrl={enrolment.otpauthUrl} />
      ) : (
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('signIn.code.hint')}
        </Typography.Paragraph>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit(code);
        }}
      >
        <Flex vertical gap={16}>
          <Input
            ref={input}
            value={code}
            onChange={(event) => {
              const next = normalizeCode(event.target.value);
              setCode(next);
              if (isCompleteCode(next)) submit(next);
            }}
            autoFocus
            size="large"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            placeholder="000000"
            aria-label={t('signIn.code.label')}
            disabled={mutation.isPending}
            data-testid="signin-code"
            style={{
              fontSize: 26,
              letterSpacing: 12,
              textAlign: 'center',
              fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
              fontVariantNumeric: 'tabular-nums',
            }}
          />
          <ProblemAlert problem={problem} />
          <Button
            type="primary"
            htmlType="submit"
            size="large"
            block
            loading={mutation.isPending}
            disabled={!isCompleteCode(code)}
            data-testid="signin-code-submit"
          >
            {t(enrolment ? 'signIn.enrol.submit' : 'signIn.code.submit')}
          </Button>
        </Flex>
      </form>
      <DemoCodeButton
        username={username}
        onCode={(value) => {
          setCode(value);
          submit(value);
        }}
      />
      <Button
        type="link"
        onClick={() => onRestart(null)}
        style={{ alignSelf: 'center' }}
        data-testid="signin-restart"
      >
        {t('signIn.restart')}
      </Button>
    </Flex>
  );
}

/** Password, then a TOTP code (enrolling the authenticator on the first sign-in). Outside the shell. */
export default function SignInPage() {
  const t = useT();
  const { token } = antdTheme.useToken();
  const [params] = useSearchParams();
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const [username, setUsername] = useState('');
  const [problem, setProblem] = useState<SignInProblem | null>(null);
  const [demoSlot, setDemoSlot] = useState<HTMLElement | null>(null);
  const reason = readSignedOutReason(params.get('reason'));

  useEffect(() => {
    document.title = `${t('signIn.title')} · ${t('app.name')}`;
  }, [t]);

  if (session.data?.status === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />;

  const isEnrolment = step.kind === 'code' && step.challenge.next === 'enrol_totp';
  return (
    <Flex
      vertical
      align="center"
      style={{
        minHeight: '100vh',
        padding: '24px 16px',
        background: 'linear-gradient(160deg, #0c2340 0%, #123a6b 55%, #1f5fbf 130%)',
      }}
    >
      <ConfigProvider theme={darkTheme}>
        <Flex justify="flex-end" style={{ width: '100%' }}>
          <LanguageSwitch />
        </Flex>
      </ConfigProvider>
      <Flex vertical align="center" justify="center" gap={24} style={{ flex: 1, width: '100%' }}>
        <FirstAdminNotice />
        <Flex vertical align="center" gap={6}>
          <Flex align="center" gap={12} data-testid="brand">
            <SafetyCertificateFilled style={{ fontSize: 36, color: '#5b9bf5' }} />
            <span style={{ fontSize: 28, fontWeight: 600, letterSpacing: 2, color: '#fff' }}>
              {t('app.name')}
            </span>
          </Flex>
          <Typography.Text style={{ color: 'rgba(255,255,255,0.65)' }}>{t('app.subtitle')}</Typography.Text>
        </Flex>
        <Card
          style={{ width: '100%', maxWidth: isEnrolment ? 480 : 400, boxShadow: token.boxShadowSecondary }}
          styles={{ body: { padding: 32 } }}
          data-testid="signin-card"
        >
          {step.kind === 'credentials' ? (
            <Flex vertical gap={20}>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {t('signIn.title')}
              </Typography.Title>
              {reason === 'expired' && !problem && (
                <Alert type="warning" showIcon title={t('signIn.expired')} data-testid="signin-expired" />
              )}
              {reason === 'signed-out' && !problem && (
                <Alert type="info" showIcon title={t('signIn.signedOut')} data-testid="signin-signed-out" />
              )}
              <CredentialsStep
                username={username}
                demoSlot={demoSlot}
                problem={problem}
                onProblem={setProblem}
                onChallenge={(name, challenge) => {
                  setUsername(name);
                  setProblem(null);
                  setStep({ kind: 'code', username: name, challenge });
                }}
              />
            </Flex>
          ) : (
            <CodeStep
              username={step.username}
              challenge={step.challenge}
              onRestart={(next) => {
                setProblem(next);
                setStep({ kind: 'credentials' });
              }}
            />
          )}
        </Card>
        <div ref={setDemoSlot} style={{ display: 'contents' }} />
        <Typography.Text style={{ color: 'rgba(255,255,255,0.5)', fontSize: 12, textAlign: 'center' }}>
          {t('signIn.notice')}
        </Typography.Text>
      </Flex>
    </Flex>
  );
}
