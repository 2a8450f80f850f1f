import { Segmented } from 'antd';
import { LOCALES, LOCALE_NAMES, useLocale, useT, type Locale } from '../i18n';

export function LanguageSwitch() {
  const t = useT();
  const { locale, setLocale } = useLocale();
  return (
    <Segmented<Locale>
      size="small"
      value={locale}
      onChange={setLocale}
      aria-label={t('app.language')}
      data-testid="lang-switch"
      options={LOCALES.map((value) => ({
        value,
        label: <span data-testid={`lang-${value}`}>{LOCALE_NAMES[value]}</span>,
      }))}
    />
  );
}
