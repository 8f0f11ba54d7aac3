using Microsoft.AspNetCore.Mvc;

namespace Lobby.Api.Http.OpenApi;

/// <summary>
/// Declares the problem+json errors an endpoint can answer with. Errors are raised as service
/// exceptions and mapped in one place (ProblemExceptionHandler), so the handler's return type
/// cannot tell the contract about them: each endpoint lists them here instead.
/// </summary>
internal static class ProducesErrorsExtensions
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    /// <summary>400 is a validation problem (with <c>errors</c>); every other status a plain problem.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, type, ProblemJson));
        }

        return builder;
    }
}
