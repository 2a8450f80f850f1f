import { Flex, Select, Switch, Typography } from 'antd';
import { LiveBadge } from '../../live';
import { countyOptions } from './county-queue';

/**
 * The filters above a county-routed queue (county hand-offs, warning episodes): the live badge, a county to
 * look at for those who see every county, and "overdue only".
 */
export function QueueFilters(props: {
  /** Whether the user sees every county and may pick one (a supervisor, the centre's desk). */
  isCountyPicker: boolean;
  county: string | null;
  onCounty: (county: string | null) => void;
  isOverdueOnly: boolean;
  onOverdueOnly: (isOverdueOnly: boolean) => void;
  labels: { county: string; overdue: string };
  testIds: { county: string; overdue: string };
}) {
  return (
    <Flex gap={16} align="center">
      <LiveBadge />
      {props.isCountyPicker && (
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={props.labels.county}
          aria-label={props.labels.county}
          style={{ width: 220 }}
          value={props.county}
          onChange={(v: string | undefined) => props.onCounty(v ?? null)}
          options={countyOptions()}
          data-testid={props.testIds.county}
        />
      )}
      <Flex gap={6} align="center">
        <Switch
          size="small"
          checked={props.isOverdueOnly}
          onChange={props.onOverdueOnly}
          aria-label={props.labels.overdue}
          data-testid={props.testIds.overdue}
        />
        <Typography.Text>{props.labels.overdue}</Typography.Text>
      </Flex>
    </Flex>
  );
}
