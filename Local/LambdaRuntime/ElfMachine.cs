using System.Runtime.InteropServices;

namespace Jobs.Local.LambdaRuntime;

/// <summary>
/// Which processor a packaged <c>bootstrap</c> is built for, read from its ELF header, so an arm64
/// package can be run on an x64 machine through qemu's user-mode emulator.
/// </summary>
public static class ElfMachine
{
    /// <summary>Debian's <c>qemu-user</c> emulator for aarch64 executables.</summary>
    public const string Aarch64Emulator = "qemu-aarch64";

    private const ushort X86_64 = 0x3E;
    private const ushort Aarch64 = 0xB7;

    /// <summary>The ELF <c>e_machine</c> of <paramref name="path"/>'s executable.</summary>
    public static Architecture Of(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        if (header[0] != 0x7F || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path} is not an ELF executable.");
        }

        return (ushort)(header[18] | (header[19] << 8)) switch
        {
            X86_64 => Architecture.X64,
            Aarch64 => Architecture.Arm64,
            var other => throw new InvalidDataException($"{path} is built for ELF machine 0x{other:X}, neither x86_64 nor aarch64."),
        };
    }

    /// <summary>Whether <paramref name="path"/> is an arm64 executable this x64 machine must emulate.</summary>
    public static bool NeedsEmulation(string path) =>
        Of(path) == Architecture.Arm64 && RuntimeInformation.OSArchitecture != Architecture.Arm64;
}
