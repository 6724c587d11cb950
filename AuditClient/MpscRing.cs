using System.Numerics;

namespace Audit.Client;

/// <summary>
/// A bounded many-writer, one-reader queue over a preallocated ring (Vyukov's sequence-numbered cells). A write is
/// one compare-and-swap and allocates nothing, which keeps Record() to the event it builds; the reader waits on a
/// signal that writers only touch while it sleeps.
/// </summary>
internal sealed class MpscRing<T>
{
    private struct Cell
    {
        public long Sequence;
        public T Item;
    }

    private readonly Cell[] _cells;
    private readonly long _mask;
    private long _writePosition;
    private long _readPosition; // the one reader's alone
    private int _sleeping;
    private TaskCompletionSource? _wake;

    public MpscRing(int capacity)
    {
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, capacity));
        _cells = new Cell[size];
        _mask = size - 1;
        for (var i = 0; i < size; i++)
        {
            _cells[i].Sequence = i;
        }
    }

    /// <summary>False when the ring is full; never blocks.</summary>
    public bool TryWrite(T item)
    {
        var position = Volatile.Read(ref _writePosition);
        while (true)
        {
            ref var cell = ref _cells[position & _mask];
            var gap = Volatile.Read(ref cell.Sequence) - position;
            if (gap == 0)
            {
                if (Interlocked.CompareExchange(ref _writePosition, position + 1, position) == position)
                {
                    cell.Item = item;
                    Volatile.Write(ref cell.Sequence, position + 1);
                    break;
                }
            }
            else if (gap < 0)
            {
                return false;
            }

            position = Volatile.Read(ref _writePosition);
        }

        // A full fence before reading the flag, so a reader going to sleep either sees this item or is woken.
        if (Interlocked.CompareExchange(ref _sleeping, 0, 1) == 1)
        {
            _wake!.TrySetResult();
        }

        return true;
    }

    public bool TryRead(out T item)
    {
        ref var cell = ref _cells[_readPosition & _mask];
        if (Volatile.Read(ref cell.Sequence) != _readPosition + 1)
        {
            item = default!;
            return false; // empty, or a writer has claimed the cell and not yet filled it
        }

        item = cell.Item;
        cell.Item = default!; // the reader keeps nothing alive
        Volatile.Write(ref cell.Sequence, _readPosition + _mask + 1);
        _readPosition++;
        return true;
    }

    /// <summary>Completes when there is something to read (the one reader calls this).</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken ct)
    {
        if (HasItem)
        {
            return true;
        }

        var wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _wake = wake;
        Interlocked.Exchange(ref _sleeping, 1);
        if (HasItem)
        {
            Interlocked.Exchange(ref _sleeping, 0);
            return true;
        }

        try
        {
            await wake.Task.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Exchange(ref _sleeping, 0);
        }

        return true;
    }

    private bool HasItem => Volatile.Read(ref _cells[_readPosition & _mask].Sequence) == _readPosition + 1;
}
