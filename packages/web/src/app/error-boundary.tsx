import { Button, Flex, Result, Typography } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { useT } from '../i18n';

interface BoundaryProps {
  children: ReactNode;
  /** Changing it (the path) clears a caught error: leaving the broken page leaves its error behind. */
  resetKey: string;
}

interface BoundaryState {
  error: Error | undefined;
  resetKey: string;
}

class Boundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: undefined, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: BoundaryProps, state: BoundaryState): Partial<BoundaryState> | null {
    return props.resetKey === state.resetKey ? null : { error: undefined, resetKey: props.resetKey };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // Kept in the browser console for whoever is asked to look; the user gets words and a way out.
    console.error('a console crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.error ? <Crashed error={this.state.error} /> : this.props.children;
  }
}

function Crashed({ error }: { error: Error }) {
  const t = useT();
  return (
    <Flex align="center" justify="center" style={{ minHeight: '60vh' }}>
      <Result
        status="error"
        title={t('crash.title')}
        subTitle={t('crash.subtitle')}
        data-testid="crash"
        extra={[
          <Button
            key="reload"
            type="primary"
            onClick={() => window.location.reload()}
            data-testid="crash-reload"
          >
            {t('crash.reload')}
          </Button>,
          // A full navigation, not the router's: whatever broke is left behind with the page.
          <Button key="home" href="/" data-testid="crash-home">
            {t('crash.home')}
          </Button>,
        ]}
      >
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="crash-detail">
          {error.message}
        </Typography.Text>
      </Result>
    </Flex>
  );
}

/**
 * A page that fails to render shows what happened and a way back instead of a white page. Placed once
 * around the whole app and again around each console, so the shell (menu, sign-out) survives a console.
 */
export function ErrorBoundary({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return <Boundary resetKey={pathname}>{children}</Boundary>;
}
