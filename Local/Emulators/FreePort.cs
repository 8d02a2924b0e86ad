using System.Net;
using System.Net.Sockets;

namespace Jobs.Local.Emulators;

/// <summary>Finds a free TCP port on 127.0.0.1 by letting the OS pick one.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
