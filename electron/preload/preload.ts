import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, type DesktopBridge } from '../../shared/contract/ipc';

// Narrow functions only: the page never gets ipcRenderer itself.
const bridge: DesktopBridge = {
  invoke: (method, args) => ipcRenderer.invoke(IPC_INVOKE, String(method), args),
  onEvent: (listener) => {
    const wrapped = (_e: IpcRendererEvent, event: unknown) => listener(event);
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('htmp', bridge);
