"""`flask sso …`: register, list and remove the municipalities' own sign-in providers."""

import click

from app.sso.services import ProviderError, add_provider, all_providers, remove_provider

sso_cli = click.Group("sso", help="Sign-in with the municipalities' own accounts (OpenID Connect).")


@sso_cli.command("add")
@click.argument("code")
@click.option("--issuer", required=True, help="Issuer URL, e.g. https://login.example.se.")
@click.option("--client-id", required=True, help="This platform's client id at the provider.")
@click.option("--client-secret", required=True, help="The client secret (never printed again).")
@click.option(
    "--domain",
    "domains",
    multiple=True,
    required=True,
    help="An email domain the provider answers for, e.g. falun.se (repeat for more).",
)
@click.option(
    "--create-unknown",
    is_flag=True,
    help="Create people missing from the roster as employees at their first sign-in.",
)
@click.option(
    "--trust-domain-emails",
    is_flag=True,
    help="The provider is the municipality's own directory (e.g. Microsoft Entra ID, which sends "
    "no email_verified): accept its email claims for these domains as verified.",
)
def add_command(
    code, issuer, client_id, client_secret, domains, create_unknown, trust_domain_emails
):
    """Register the provider of the municipality with this code."""
    try:
        provider = add_provider(
            code, issuer, client_id, client_secret, domains, create_unknown, trust_domain_emails
        )
    except ProviderError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Added the provider of {provider.municipality.name} ({provider.municipality.code}) "
        f"for {', '.join(provider.email_domains)}."
    )


@sso_cli.command("list")
def list_command():
    """Show every provider (never its secret)."""
    providers = all_providers()
    if not providers:
        click.echo("No providers.")
    for provider in providers:
        unknown = "creates unknown people" if provider.create_unknown else "roster only"
        if provider.trusts_domain_emails:
            unknown += ", trusts its domains' emails"
        click.echo(
            f"{provider.municipality.code} {provider.municipality.name}: {provider.issuer} "
            f"client {provider.client_id}, domains {', '.join(provider.email_domains)}, {unknown}"
        )


@sso_cli.command("remove")
@click.argument("code")
def remove_command(code):
    """Remove the provider of the municipality with this code."""
    try:
        provider = remove_provider(code)
    except ProviderError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Removed the provider of {provider.municipality.name} ({provider.municipality.code}); "
        "its people keep their accounts."
    )
