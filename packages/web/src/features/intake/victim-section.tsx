import type { FieldProblem } from '@fanzha/contracts';
import { countyLabel, listCounties } from '@fanzha/domain';
import { Col, Input, Row, Select } from 'antd';
import { useLocale, useT } from '../../i18n';
import { checkIdNumber, checkMobile } from './field-checks';
import type { IntakeForm } from './intake-form';
import { Labelled, MONO, noteFor, Section, statusOf } from './intake-fields';

const COUNTY_OPTIONS = listCounties().map((d) => ({
  value: d.code,
  label: `${countyLabel(d.code) ?? d.name} ${d.code}`,
}));

/** The victim: who called, checked while typed (ID number, mobile) and the county the report goes to. */
export function VictimSection({
  victim,
  problems,
  today,
  onChange,
}: {
  victim: IntakeForm['victim'];
  problems: Map<string, FieldProblem>;
  today: Date;
  onChange: (patch: Partial<IntakeForm['victim']>) => void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const phone = noteFor(checkMobile(victim.phone, locale), problems.get('victim.phone'), locale);
  const idNumber = noteFor(
    checkIdNumber(victim.idNumber, locale, today),
    problems.get('victim.idNumber'),
    locale,
  );
  const name = noteFor(undefined, problems.get('victim.name'), locale);
  const county = noteFor(
    victim.countyCode ? { kind: 'ok', text: countyLabel(victim.countyCode) ?? '' } : undefined,
    problems.get('victim.countyCode'),
    locale,
  );
  return (
    <Section title={t('intake.victim')}>
      <Row gutter={12}>
        <Col span={5}>
          <Labelled label={t('intake.victim.name')} note={name}>
            <Input
              value={victim.name}
              status={statusOf(name)}
              onChange={(e) => onChange({ name: e.target.value })}
              data-testid="intake-victim-name"
            />
          </Labelled>
        </Col>
        <Col span={7}>
          <Labelled label={t('intake.victim.idNumber')} note={idNumber}>
            <Input
              value={victim.idNumber}
              maxLength={18}
              status={statusOf(idNumber)}
              onChange={(e) => onChange({ idNumber: e.target.value })}
              data-testid="intake-victim-id"
              style={MONO}
            />
          </Labelled>
        </Col>
        <Col span={5}>
          <Labelled label={t('intake.victim.phone')} note={phone}>
            <Input
              value={victim.phone}
              inputMode="tel"
              status={statusOf(phone)}
              onChange={(e) => onChange({ phone: e.target.value })}
              data-testid="intake-victim-phone"
              style={MONO}
            />
          </Labelled>
        </Col>
        <Col span={7}>
          <Labelled label={t('intake.victim.county')} note={county}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              value={victim.countyCode}
              placeholder={t('intake.victim.county.placeholder')}
              style={{ width: '100%' }}
              status={statusOf(county)}
              options={COUNTY_OPTIONS}
              onChange={(code: string | undefined) => onChange({ countyCode: code ?? null })}
              data-testid="intake-victim-county"
            />
          </Labelled>
        </Col>
        <Col span={24}>
          <Labelled label={t('intake.victim.address')}>
            <Input
              value={victim.address}
              onChange={(e) => onChange({ address: e.target.value })}
              data-testid="intake-victim-address"
            />
          </Labelled>
        </Col>
      </Row>
    </Section>
  );
}
