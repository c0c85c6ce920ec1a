import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../../shared/result';
import { useApi } from '../../api/context';
import { ErrorText } from '../../components/ErrorText';
import { FileInput } from '../../components/FileInput';

/** The portal's answer to a referral bundle (CSV/JSON): which referrals it took, read into the cases. */
export function PortalAnswerPanel() {
  const { t } = useTranslation('exchange');
  const api = useApi();
  const [answer, setAnswer] = useState<string | null>(null);
  const [error, setError] = useState<AppError>();
  return (
    <>
      <h2>{t('referral.title')}</h2>
      <div className="form narrow">
        <FileInput
          label={t('referral.answer')}
          accept=".csv,.json,.txt"
          testId="portal-answer"
          onChange={(f) => {
            if (!f) return;
            setError(undefined);
            setAnswer(null);
            void f.text().then(async (text) => {
              const r = await api.call('exchange.referralAnswer', { text });
              if (r.ok) setAnswer(t('referral.answerDone', { updated: r.value.updated, unchanged: r.value.unchanged, unknown: r.value.unknown.length }));
              else setError(r.error);
            });
          }}
        />
        {answer && <p role="status">{answer}</p>}
        <ErrorText error={error} />
      </div>
    </>
  );
}
