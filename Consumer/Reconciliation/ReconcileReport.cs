namespace Jobs.Consumer.Reconciliation;

/// <summary>What one reconciler run found and did.</summary>
public sealed record ReconcileReport(int Resent, int Redriven, int Notified, int Skipped)
{
    public override string ToString() => $"{Resent} message(s) re-sent, {Redriven} running job(s) re-driven, {Notified} notice(s) published, {Skipped} already moved on";
}
