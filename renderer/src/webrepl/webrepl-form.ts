// Checks for the WebREPL connection form, as plain functions so they are
// tested without a DOM. The back end checks again (main/common/api.ts).

/** Why the form cannot be sent yet, or null. */
export function webReplFormProblem(address: string, password: string): string | null {
  const a = address.trim();
  if (!a) return 'Enter the board address, e.g. ws://192.168.4.1:8266';
  if (/^[a-z]+:\/\//i.test(a) && !/^wss?:\/\//i.test(a)) return 'A WebREPL address starts with ws://';
  return webReplPasswordProblem(password);
}

/** WebREPL passwords have 4 to 9 characters (the board's webrepl_setup refuses others). */
export function webReplPasswordProblem(password: string): string | null {
  if (password.length < 4 || password.length > 9) return 'The WebREPL password has 4 to 9 characters';
  if (/[\r\n]/.test(password)) return 'The password cannot contain line breaks';
  return null;
}
