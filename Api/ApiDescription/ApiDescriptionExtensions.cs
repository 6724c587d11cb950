using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Api.ApiDescription;

/// <summary>The OpenAPI document and, in Development, the interactive API page at /scalar.</summary>
public static class ApiDescriptionExtensions
{
    public static void AddApiDescription(this IHostApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Aspire observability Api";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[JwtBearerDefaults.AuthenticationScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "An access token from POST /api/auth/sign-in.",
            };
            return Task.CompletedTask;
        }));

    public static WebApplication MapApiDescription(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            // The one document by its own path, and no query: the framework's handler takes the document's name from
            // a {documentName} route value or a query parameter and answers an unknown one with a plain-text 404, where
            // every other miss here is a problem document.
            app.MapOpenApi("/openapi/v1.json").Add(endpoint =>
            {
                var serve = endpoint.RequestDelegate!;
                endpoint.RequestDelegate = context =>
                {
                    context.Request.QueryString = QueryString.Empty;
                    return serve(context);
                };
            });
            app.MapScalarApiReference();
        }

        return app;
    }
}
