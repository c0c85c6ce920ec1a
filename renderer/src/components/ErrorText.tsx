import type { AppError } from '../../../shared/result';
import { errorMessage } from '../i18n';

/** An error envelope shown as a translated message, announced to screen readers. */
export function ErrorText({ error, id }: { error: AppError | undefined | null; id?: string }) {
  if (!error) return null;
  return (
    <p className="error" role="alert" id={id} data-code={error.code}>
      {errorMessage(error)}
    </p>
  );
}
