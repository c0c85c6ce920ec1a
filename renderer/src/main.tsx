import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createClient, detectTransport } from './api/client';
import { ApiProvider } from './api/context';
import { initI18n } from './i18n';
import { AuthGate } from './screens/auth/AuthGate';
import './styles.css';

const client = createClient(detectTransport());

void initI18n().then(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <ApiProvider client={client}>
        <AuthGate>
          <App />
        </AuthGate>
      </ApiProvider>
    </StrictMode>,
  );
});
