using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Lobby.Api.Security;

/// <summary>
/// ASP.NET Core's authentication registers data protection and loads its key ring at startup,
/// but nothing in Lobby protects data with it (tokens are RS256 JWTs and hashed refresh tokens).
/// Left as is, it writes keys under $HOME and warns three times at every start of the read-only
/// image. Keys in memory, unencrypted, are the honest setting for keys that protect nothing.
/// </summary>
internal static class DataProtectionSetup
{
    public static IServiceCollection AddLobbyDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection();
        services.Configure<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new MemoryXmlRepository();
            o.XmlEncryptor = new NullXmlEncryptor();
        });
        return services;
    }

    private sealed class MemoryXmlRepository : IXmlRepository
    {
        private readonly List<XElement> _elements = [];
        private readonly Lock _lock = new();

        public IReadOnlyCollection<XElement> GetAllElements()
        {
            lock (_lock)
            {
                return [.. _elements.Select(e => new XElement(e))];
            }
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            lock (_lock)
            {
                _elements.Add(new XElement(element));
            }
        }
    }
}
