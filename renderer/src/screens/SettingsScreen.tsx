import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings, StandingMember } from '../../../shared/contract';
import { MEMBER_ROLES } from '../../../shared/contract/cases';
import type { AppError } from '../../../shared/result';
import { useApi, useQuery } from '../api/context';
import { ErrorText } from '../components/ErrorText';
import { CalendarSettings } from './CalendarSettings';
import { href } from '../router';

type Names = Pick<Settings, 'commissionNameKk' | 'commissionNameRu' | 'authorityNameKk' | 'authorityNameRu'>;
const NAME_FIELDS: (keyof Names)[] = ['commissionNameKk', 'commissionNameRu', 'authorityNameKk', 'authorityNameRu'];

/** The commission's letterhead in both languages, its standing members, and the working-day calendar. */
export function SettingsScreen() {
  const { t } = useTranslation(['common', 'setup']);
  return (
    <section aria-labelledby="settings-title" className="screen">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <p>
        <a href={href('setup')} data-testid="settings-open-guide">
          {t('setup:guide.fromSettings')}
        </a>
      </p>
      <LetterheadForm />
      <MembersForm />
      <CalendarSettings />
    </section>
  );
}

/** The commission's and the health authority's names, in Kazakh and Russian (the protocols' letterhead). */
export function LetterheadForm({ onSaved }: { onSaved?: () => void } = {}) {
  const { t } = useTranslation('common');
  const api = useApi();
  const settings = useQuery('settings.get', {});
  const [form, setForm] = useState<Names>({ commissionNameKk: '', commissionNameRu: '', authorityNameKk: '', authorityNameRu: '' });
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<AppError>();
  const [loaded, setLoaded] = useState(false);
  // Fill the form once from the stored values; later reloads must not overwrite what is typed.
  useEffect(() => {
    if (settings.data && !loaded) {
      const s = settings.data;
      setForm({ commissionNameKk: s.commissionNameKk, commissionNameRu: s.commissionNameRu, authorityNameKk: s.authorityNameKk, authorityNameRu: s.authorityNameRu });
      setLoaded(true);
    }
  }, [settings.data, loaded]);
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('settings.update', form);
    setSaved(r.ok);
    setError(r.ok ? undefined : r.error);
    if (r.ok) onSaved?.();
  };
  const missing = loaded && NAME_FIELDS.some((k) => form[k].trim() === '');
  return (
    <form onSubmit={save} className="form narrow panel" aria-labelledby="letterhead-title" data-testid="settings-letterhead">
      <h2 id="letterhead-title">{t('settings.letterhead')}</h2>
      <p className="hint">{t('settings.letterheadLead')}</p>
      {NAME_FIELDS.map((k) => (
        <label key={k}>
          {t(`settings.${k}`)}
          <input
            value={form[k]}
            maxLength={300}
            disabled={!loaded}
            lang={k.endsWith('Kk') ? 'kk' : 'ru'}
            aria-invalid={loaded && form[k].trim() === '' ? true : undefined}
            onChange={(e) => {
              setSaved(false);
              setForm({ ...form, [k]: e.target.value });
            }}
            data-testid={`settings-${k}`}
          />
        </label>
      ))}
      {missing && <p className="warning small">{t('settings.namesRequired')}</p>}
      <div className="actions">
        <button type="submit" className="primary" data-testid="settings-save">
          {t('actions.save')}
        </button>
        {saved && <span role="status">{t('settings.saved')}</span>}
      </div>
      <ErrorText error={error ?? settings.error} />
    </form>
  );
}

interface Row {
  key: string;
  role: StandingMember['role'];
  nameKk: string;
  nameRu: string;
  positionKk: string;
  positionRu: string;
}

let seq = 0;
const rowOf = (m: StandingMember): Row => ({
  key: `r${++seq}`,
  role: m.role,
  nameKk: m.name.kk,
  nameRu: m.name.ru,
  positionKk: m.position?.kk ?? '',
  positionRu: m.position?.ru ?? '',
});

/**
 * The standing members of the commission (kept in the database, offered at every decision): name
 * as signed and position, in Kazakh and Russian, and the role in the commission.
 */
export function MembersForm({ onSaved }: { onSaved?: () => void } = {}) {
  const { t } = useTranslation('common');
  const api = useApi();
  const query = useQuery('settings.members', {});
  const [rows, setRows] = useState<Row[] | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<AppError>();
  useEffect(() => {
    if (query.data && rows === null) setRows(query.data.members.map(rowOf));
  }, [query.data, rows]);
  if (!rows) return <ErrorText error={query.error} />;

  const set = (key: string, patch: Partial<Row>) => {
    setSaved(false);
    setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  };
  const move = (i: number, d: -1 | 1) => {
    const next = [...rows];
    const [r] = next.splice(i, 1);
    next.splice(i + d, 0, r!);
    setRows(next);
    setSaved(false);
  };
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    const r = await api.call('settings.setMembers', {
      members: rows.map((m) => ({
        role: m.role,
        name: { kk: m.nameKk, ru: m.nameRu },
        position: m.positionKk.trim() === '' && m.positionRu.trim() === '' ? null : { kk: m.positionKk, ru: m.positionRu },
      })),
    });
    setSaved(r.ok);
    setError(r.ok ? undefined : r.error);
    if (r.ok) {
      setRows(r.value.members.map(rowOf));
      onSaved?.();
    }
  };
  const input = (r: Row, field: 'nameKk' | 'nameRu' | 'positionKk' | 'positionRu', i: number) => (
    <input
      value={r[field]}
      maxLength={field.startsWith('name') ? 200 : 300}
      lang={field.endsWith('Kk') ? 'kk' : 'ru'}
      aria-label={t(`settings.members.${field}N`, { n: i + 1 })}
      placeholder={t(`settings.members.${field.startsWith('name') ? 'name' : 'position'}`)}
      onChange={(e) => set(r.key, { [field]: e.target.value })}
      data-testid={`member-${field}`}
    />
  );
  return (
    <form onSubmit={save} className="panel members-form" aria-labelledby="members-title" data-testid="settings-members">
      <h2 id="members-title">{t('settings.members.title')}</h2>
      <p className="hint">{t('settings.members.lead')}</p>
      {rows.length > 0 && (
        <table className="grid compact">
          <thead>
            <tr>
              <th scope="col">№</th>
              <th scope="col">{t('settings.members.role')}</th>
              <th scope="col">{t('settings.members.inKk')}</th>
              <th scope="col">{t('settings.members.inRu')}</th>
              <th scope="col">
                <span className="sr-only">{t('settings.members.order')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key} data-testid="standing-row">
                <td>{i + 1}</td>
                <td>
                  <select value={r.role} aria-label={t('settings.members.roleN', { n: i + 1 })} onChange={(e) => set(r.key, { role: e.target.value as Row['role'] })} data-testid="member-role">
                    {MEMBER_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`memberRole.${role}`, { ns: 'rules' })}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <div className="pair">
                    {input(r, 'nameKk', i)}
                    {input(r, 'positionKk', i)}
                  </div>
                </td>
                <td>
                  <div className="pair">
                    {input(r, 'nameRu', i)}
                    {input(r, 'positionRu', i)}
                  </div>
                </td>
                <td className="nowrap">
                  <button type="button" className="link" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('settings.members.upN', { n: i + 1 })}>
                    ↑
                  </button>
                  <button type="button" className="link" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t('settings.members.downN', { n: i + 1 })}>
                    ↓
                  </button>
                  <button
                    type="button"
                    className="link danger"
                    onClick={() => {
                      setRows(rows.filter((x) => x.key !== r.key));
                      setSaved(false);
                    }}
                    aria-label={t('settings.members.removeN', { n: i + 1 })}
                  >
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rows.length === 0 && <p className="muted">{t('settings.members.none')}</p>}
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            setRows([...rows, { key: `r${++seq}`, role: rows.some((r) => r.role === 'chair') ? 'member' : 'chair', nameKk: '', nameRu: '', positionKk: '', positionRu: '' }]);
            setSaved(false);
          }}
          data-testid="standing-add"
        >
          + {t('settings.members.add')}
        </button>
        <button type="submit" className="primary" data-testid="standing-save">
          {t('settings.members.save')}
        </button>
        {saved && <span role="status">{t('settings.saved')}</span>}
      </div>
      <ErrorText error={error} />
    </form>
  );
}
