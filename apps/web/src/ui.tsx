import type { ReactNode } from 'react';

export function Alert(props: { kind: 'error' | 'success' | 'info'; children: ReactNode }) {
  return (
    <div className={`alert alert-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

export function Loading(props: { what?: string }) {
  return (
    <p className="loading" aria-live="polite">
      Loading{props.what ? ` ${props.what}` : ''}…
    </p>
  );
}
