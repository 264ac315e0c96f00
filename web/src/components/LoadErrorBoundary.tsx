import { Component, type ReactNode } from 'react';

interface LoadErrorBoundaryProps {
  children: ReactNode;
}

/**
 * Around the parts loaded when first opened: when one cannot be (offline before it was ever stored on the phone,
 * or a new version of Tapioca replaced its file), a message and "Reload" instead of a blank page.
 */
export class LoadErrorBoundary extends Component<LoadErrorBoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="card" role="alert" data-testid="load-failed">
        <p>This part of Tapioca could not be loaded. Check the connection, then reload.</p>
        <button type="button" className="button primary" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
