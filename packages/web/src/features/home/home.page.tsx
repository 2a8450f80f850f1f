import { Card, Col, Row, Typography, theme } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../i18n';
import { canOpen, useMe } from '../../session';
import { CONSOLES, ConsoleIcon, PageHeading } from '../../ui';
import { SystemStatus } from './system-status';

export default function HomePage() {
  const t = useT();
  const { token } = theme.useToken();
  const me = useMe();
  return (
    <>
      <PageHeading
        title={t('home.title')}
        description={t('home.welcome', { name: me.displayName, role: t(`role.${me.role}`) })}
      />
      <SystemStatus />
      <Typography.Title level={5} style={{ margin: '28px 0 12px' }}>
        {t('home.consoles')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {CONSOLES.filter((c) => canOpen(me, c.key)).map(({ key, path }) => (
          <Col key={key} xs={24} md={12} xl={8} xxl={6}>
            <Link to={path} data-testid={`home-console-${key}`}>
              <Card hoverable size="small" style={{ height: '100%' }}>
                <Card.Meta
                  avatar={<ConsoleIcon console={key} style={{ fontSize: 22, color: token.colorPrimary }} />}
                  title={t(`console.${key}.title`)}
                  description={
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }} style={{ margin: 0 }}>
                      {t(`console.${key}.purpose`)}
                    </Typography.Paragraph>
                  }
                />
              </Card>
            </Link>
          </Col>
        ))}
      </Row>
    </>
  );
}
