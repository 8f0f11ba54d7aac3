using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NSec.Cryptography;

// Usage: HashTime [memoryKib] [iterations] [samples]
// Prints one parseable line:
//   HASH single_ms=<median ms of one hash on one thread> threads=<n> parallel_per_s=<hashes/s on n threads>
var memoryKib = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 19 * 1024;
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;
var samples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 40;

// Same parameters as src/Lobby.Api/Security/PasswordHasher.cs: p=1, 16-byte salt, 32-byte hash.
var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new Argon2Parameters
{
    DegreeOfParallelism = 1,
    MemorySize = memoryKib,
    NumberOfPasses = iterations,
});
const string Password = "bench-password-for-timing";

byte[] HashOnce() => algorithm.DeriveBytes(Password, RandomNumberGenerator.GetBytes(16), 32);

for (var i = 0; i < 5; i++)
{
    HashOnce();
}

var times = new double[samples];
for (var i = 0; i < samples; i++)
{
    var start = Stopwatch.GetTimestamp();
    HashOnce();
    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

Array.Sort(times);
var median = samples % 2 == 1 ? times[samples / 2] : (times[(samples / 2) - 1] + times[samples / 2]) / 2;

// All cores hashing at once, as the gate allows (one slot per core), for about 3 s.
var threads = Environment.ProcessorCount;
var deadline = Stopwatch.GetTimestamp() + (3 * Stopwatch.Frequency);
var counts = new int[threads];
var parallelStart = Stopwatch.GetTimestamp();
var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
{
    while (Stopwatch.GetTimestamp() < deadline)
    {
        HashOnce();
        counts[t]++;
    }
})).ToList();
workers.ForEach(w => w.Start());
workers.ForEach(w => w.Join());
var parallelRate = counts.Sum() / Stopwatch.GetElapsedTime(parallelStart).TotalSeconds;

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"HASH single_ms={median:F2} threads={threads} parallel_per_s={parallelRate:F1} m={memoryKib} t={iterations}"));
