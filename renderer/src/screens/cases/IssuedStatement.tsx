import { useTranslation } from 'react-i18next';
import type { ProtocolStatement } from '../../../../shared/contract/protocols';

type Lang = 'kk' | 'ru';
const text = (v: string | { kk: string; ru: string }, lang: Lang): string => (typeof v === 'string' ? v : v[lang]);

/**
 * What an issued protocol states, as it was issued (its stored statement, not the case as it is
 * now): patient, diagnosis, the technology in its section's wording, the decision and its ground,
 * the members. Texts in the interface language; data as printed.
 */
export function IssuedStatement({ statement: s }: { statement: ProtocolStatement }) {
  const { t, i18n } = useTranslation('cases');
  const lang: Lang = i18n.language === 'ru' ? 'ru' : 'kk';
  const other: Lang = lang === 'kk' ? 'ru' : 'kk';
  const name = s.htmp.name[lang] ?? s.htmp.name[other];
  const patient = [s.patient.lastName, s.patient.firstName, s.patient.middleName].filter(Boolean).join(' ');
  return (
    <dl className="facts statement" data-testid="issued-statement">
      {s.correction && (
        <div className="facts-row">
          <dt>{t('ui.statement.replaces')}</dt>
          <dd data-testid="statement-replaces">
            {t('ui.statement.replacesText', { number: s.correction.replaces, reason: s.correction.reason })}
          </dd>
        </div>
      )}
      <div className="facts-row">
        <dt>{t('ui.statement.patient')}</dt>
        <dd>
          {patient} <span className="mono nowrap">{s.patient.iin}</span>
        </dd>
      </div>
      <div className="facts-row">
        <dt>{t('ui.statement.diagnosis')}</dt>
        <dd>
          <span className="mono">{s.diagnosis.icd10}</span> {s.diagnosis.text}
        </dd>
      </div>
      <div className="facts-row">
        <dt>{t('ui.case.technology')}</dt>
        <dd data-testid="statement-technology">
          <span className="mono">{s.htmp.code}</span> {name ? name.text : t('ui.statement.noName')}
          {name && !s.htmp.name[lang] && <span className="mark">{t('ui.case.nameOtherLang')}</span>}
          {s.htmp.section && <div className="small muted">{t('ui.case.sectionOf', { heading: t(`listSections.${s.htmp.section}`, { ns: 'pdf' }) })}</div>}
        </dd>
      </div>
      <div className="facts-row">
        <dt>{t('ui.statement.decision')}</dt>
        <dd data-testid="statement-decision">
          {t(`decisionOutcome.${s.decision.outcome}`, { ns: 'rules' })}
          {s.decision.reason && <div>{t(`refusalReason.${s.decision.reason}`, { ns: 'rules' })}</div>}
          {s.decision.outcome === 'refused' && s.inpatient === true && <div className="small">{t('ui.statement.journal')}</div>}
        </dd>
      </div>
      <div className="facts-row">
        <dt>{t('ui.statement.members')}</dt>
        <dd>
          <ul className="member-list">
            {s.members.map((m, i) => (
              <li key={i}>
                {text(m.name, lang)}
                {m.position && <span className="muted">, {text(m.position, lang)}</span>} — <span className="muted">{t(`memberRole.${m.role}`, { ns: 'rules' })}</span>
              </li>
            ))}
          </ul>
        </dd>
      </div>
    </dl>
  );
}
