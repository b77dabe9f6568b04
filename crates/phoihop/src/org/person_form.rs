//! What an administrator types for a person on the people pages, and its parsing into
//! [`PersonDetails`]: the account's details, and for a collaborator what they cover.
//! Checks that need the database (the organisation, the localities and fields chosen)
//! are `people`'s and `collaborators`'.

use crate::access::Role;
use crate::error::{Error, FieldErrors, Result};
use crate::org::collaborators::Coverage;
use crate::org::values::{self, Email, Name, Phone, Username};

/// What an administrator types for a person, before parsing.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub password: String,
    /// "1" when the checkbox is ticked.
    #[serde(default)]
    pub active: Option<String>,
    /// For a collaborator, the localities they cover: one `localities=` pair per
    /// chosen option (ids), kept as sent so that a refused form shows them again.
    #[serde(default)]
    pub localities: Vec<String>,
    /// For a collaborator, the fields they cover (none: every field).
    #[serde(default)]
    pub fields: Vec<String>,
}

pub struct PersonDetails {
    pub display_name: Name,
    pub title: String,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub organisation_id: i64,
    pub role: Role,
    pub active: bool,
    /// What a collaborator covers; `None` for every other role (what the form sent
    /// for them is not read).
    pub coverage: Option<Coverage>,
}

impl PersonForm {
    /// Whether `id` is among the chosen localities (the form's multi-select).
    pub fn has_locality(&self, id: &i64) -> bool {
        self.localities.iter().any(|v| v.trim() == id.to_string())
    }

    /// Whether `id` is among the chosen fields.
    pub fn has_field(&self, id: &i64) -> bool {
        self.fields.iter().any(|v| v.trim() == id.to_string())
    }

    fn details(&self, errors: &mut FieldErrors) -> Option<PersonDetails> {
        let display_name = errors.check("display_name", Name::parse(&self.display_name));
        let title = vntext::normalize(self.title.trim());
        if title.chars().count() > values::MAX_LINE {
            errors.add("title", "Quá dài (tối đa 300 ký tự).");
        }
        let email = errors.check("email", values::optional(&self.email, Email::parse));
        let phone = errors.check("phone", values::optional(&self.phone, Phone::parse));
        let organisation_id = errors.check(
            "organisation_id",
            self.organisation_id
                .trim()
                .parse()
                .map_err(|_| "Chọn tổ chức."),
        );
        let role = errors.check("role", Role::parse(self.role.trim()).ok_or("Chọn vai trò."));
        let coverage = match role {
            Some(Role::Collaborator) => {
                Coverage::parse(&self.localities, &self.fields, errors).map(Some)?
            }
            _ => None,
        };
        Some(PersonDetails {
            display_name: display_name?,
            title,
            email: email?,
            phone: phone?,
            organisation_id: organisation_id?,
            role: role?,
            active: self.active.is_some(),
            coverage,
        })
    }

    /// A new account: details, a username and a first password.
    pub fn parse_new(&self) -> Result<(Username, PersonDetails, String)> {
        let mut errors = FieldErrors::new();
        let username = errors.check("username", Username::parse(&self.username));
        let password = errors.check("password", values::check_new_password(&self.password));
        let details = self.details(&mut errors);
        match (username, details, password) {
            (Some(u), Some(mut d), Some(())) if errors.is_empty() => {
                d.active = true;
                Ok((u, d, self.password.clone()))
            }
            _ => Err(Error::Invalid(errors)),
        }
    }

    pub fn parse_update(&self) -> Result<PersonDetails> {
        let mut errors = FieldErrors::new();
        match self.details(&mut errors) {
            Some(d) if errors.is_empty() => Ok(d),
            _ => Err(Error::Invalid(errors)),
        }
    }
}
