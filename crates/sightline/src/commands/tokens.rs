//! `sightline token`: API tokens for scripts.

use crate::cli::operator;
use crate::cli::{print_out, runtime};
use anyhow::Result;
use sightline_store::credentials::{new_token, token_digest};
use sightline_store::Store;

#[derive(clap::Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the token alone is printed, once.
    Create {
        #[arg(long, value_name = "URL")]
        db: String,
        #[arg(long)]
        user: String,
        /// What the token is for, to recognise it in the list.
        #[arg(long, default_value = "")]
        label: String,
    },
    /// List tokens (never the tokens themselves).
    List {
        #[arg(long, value_name = "URL")]
        db: String,
    },
    /// Revoke a token by its number in the list.
    Revoke {
        #[arg(long, value_name = "URL")]
        db: String,
        id: i64,
    },
}

pub fn run_token(command: TokenCommand) -> Result<()> {
    let rt = runtime()?;
    let by = operator();
    match command {
        TokenCommand::Create { db, user, label } => rt.block_on(async {
            let store = Store::open(&db).await?;
            let token = new_token();
            let id = store.create_token(&user, &token_digest(&token), &label).await?;
            store.audit(&by, "create token", &format!("token {id} for {user}")).await?;
            print_out(&token)
        }),
        TokenCommand::List { db } => rt.block_on(async {
            let tokens = Store::open(&db).await?.tokens().await?;
            let lines: Vec<String> = tokens
                .iter()
                .map(|t| {
                    let state = t.revoked_at.as_deref().map_or("valid".to_string(), |r| format!("revoked {r}"));
                    format!("{:>4}  {:<20} {:<24} created {}  {state}", t.id, t.user, t.label, t.created_at)
                })
                .collect();
            let text = if lines.is_empty() { "No tokens.".to_string() } else { lines.join("\n") };
            print_out(&text)
        }),
        TokenCommand::Revoke { db, id } => rt.block_on(async {
            let store = Store::open(&db).await?;
            store.revoke_token(id).await?;
            store.audit(&by, "revoke token", &id.to_string()).await?;
            print_out(&format!("Token {id} revoked."))
        }),
    }
}
