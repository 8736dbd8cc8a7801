// One modal at a time, asked for with a promise: a question with OK/Cancel, or a
// question that wants a line of text (a file name). Electron has no
// window.prompt, and the native confirm() blocks the event loop, so the IDE
// draws its own.

export interface DialogRequest {
  title: string;
  message?: string;
  okLabel: string;
  /** Red OK button, for deletions. */
  danger: boolean;
  /** Present when the dialog asks for text. */
  input?: {
    value: string;
    placeholder?: string;
    /** Returns an error to show under the field, or null when the text is acceptable. */
    validate?: (text: string) => string | null;
  };
}

interface OpenDialog extends DialogRequest {
  resolve: (answer: string | null) => void;
}

export class Dialogs {
  #current = $state<OpenDialog | null>(null);

  get current(): DialogRequest | null {
    return this.#current;
  }

  /** Resolves true when the user confirms. */
  async confirm(title: string, message: string, okLabel = 'OK', danger = false): Promise<boolean> {
    return (await this.#open({ title, message, okLabel, danger })) !== null;
  }

  /** Resolves with the text entered, or null when cancelled. */
  prompt(
    title: string,
    options: { message?: string; value?: string; placeholder?: string; okLabel?: string; validate?: (t: string) => string | null },
  ): Promise<string | null> {
    return this.#open({
      title,
      message: options.message,
      okLabel: options.okLabel ?? 'OK',
      danger: false,
      input: { value: options.value ?? '', placeholder: options.placeholder, validate: options.validate },
    });
  }

  /** Called by the dialog component: text (or '' for a plain confirm), or null for cancel. */
  answer(value: string | null): void {
    const open = this.#current;
    if (!open) return;
    this.#current = null;
    open.resolve(value);
  }

  #open(request: DialogRequest): Promise<string | null> {
    // A new question replaces an unanswered one, which counts as cancelled.
    this.answer(null);
    return new Promise((resolve) => {
      this.#current = { ...request, resolve };
    });
  }
}
