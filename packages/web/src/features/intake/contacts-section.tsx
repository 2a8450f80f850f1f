import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FieldProblem } from '@fanzha/contracts';
import { Button, Col, Input, Row, Select, Typography } from 'antd';
import { useLocale, useT } from '../../i18n';
import type { ContactKind, IntakeForm } from './intake-form';
import { Note, noteFor, Section, statusOf } from './intake-fields';

const CONTACT_KINDS: readonly ContactKind[] = ['phone', 'url', 'app', 'social', 'device', 'other'];

/** The fraudster's contacts (phone, URL, app, social account): one row each, added with Alt+C. */
export function ContactsSection({
  form,
  problems,
  setForm,
  onAdd,
}: {
  form: IntakeForm;
  problems: Map<string, FieldProblem>;
  setForm: (update: (form: IntakeForm) => IntakeForm) => void;
  onAdd: () => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  return (
    <Section
      title={t('intake.contacts')}
      extra={
        <Button size="small" icon={<PlusOutlined />} onClick={onAdd} data-testid="intake-add-contact">
          {t('intake.addContact')} <Typography.Text keyboard>Alt+C</Typography.Text>
        </Button>
      }
    >
      {form.contacts.map((row, index) => {
        const note = noteFor(undefined, problems.get(`contacts.${row.key}.value`), locale);
        return (
          <Row key={row.key} gutter={8}>
            <Col flex="140px">
              <Select
                value={row.kind}
                style={{ width: '100%' }}
                options={CONTACT_KINDS.map((kind) => ({
                  value: kind,
                  label: t(`intake.contact.${kind}`),
                }))}
                onChange={(kind) =>
                  setForm((f) => ({
                    ...f,
                    contacts: f.contacts.map((c) => (c.key === row.key ? { ...c, kind } : c)),
                  }))
                }
                aria-label={t('access.contactKind')}
                data-testid={`intake-contact-${index}-kind`}
              />
            </Col>
            <Col flex="auto">
              <Input
                value={row.value}
                status={statusOf(note)}
                placeholder={t(`intake.contact.${row.kind}.placeholder`)}
                onChange={(e) =>
                  setForm((f) => ({
                    ...f,
                    contacts: f.contacts.map((c) =>
                      c.key === row.key ? { ...c, value: e.target.value } : c,
                    ),
                  }))
                }
                aria-label={t('access.contactValue')}
                data-testid={`intake-contact-${index}-value`}
              />
              <Note check={note} />
            </Col>
            <Col flex="none">
              <Button
                type="text"
                tabIndex={-1}
                icon={<DeleteOutlined />}
                disabled={form.contacts.length <= 1}
                onClick={() =>
                  setForm((f) => ({ ...f, contacts: f.contacts.filter((c) => c.key !== row.key) }))
                }
                aria-label={t('intake.contact.remove')}
              />
            </Col>
          </Row>
        );
      })}
    </Section>
  );
}
