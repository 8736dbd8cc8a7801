// Electron IPC channel names. These three are the only channels the preload
// and the main process use; the main process handles nothing else.

/** renderer -> main, invoke: (method, args) => CallOutcome
 *  (see backend-dispatch.ts; errors travel as data because Electron would
 *  otherwise prefix a thrown message with "Error invoking remote method"). */
export const CALL_CHANNEL = 'mote:call';
/** main -> renderer: (event: MoteEventName, payload). */
export const EVENT_CHANNEL = 'mote:event';
/** main -> renderer: (command: MenuCommand). */
export const MENU_CHANNEL = 'mote:menu';

