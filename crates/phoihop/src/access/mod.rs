//! Who is asking and what they may do: the signed-in person as every handler sees them
//! ([`Actor`]), the roles people hold ([`Role`]), the permission policy ([`policy`]),
//! the secrets behind sessions and tokens ([`secret`]) and the person behind a bearer
//! token ([`token`]). It sits below the kit and the domains and imports neither, so
//! that both can name the person asking. Signing in and out, and making and revoking
//! sessions and tokens, are `auth`'s.

pub mod policy;
mod role;
pub mod secret;
pub mod token;

pub use role::Role;

/// The signed-in person, as every handler sees them.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_id: i64,
    pub org_name: String,
    /// The session's CSRF token, to put in forms and compare on submit.
    pub csrf_token: String,
    pub token_hash: String,
    /// When the session ends if nothing else happens (Unix ms).
    pub expires_at_ms: i64,
    /// Notifications not yet read, for the counter in the header.
    pub unread: i64,
}

impl Actor {
    pub fn can(&self, action: policy::Action, scope: policy::Scope) -> bool {
        policy::allows(self.role, action, scope)
    }
}
