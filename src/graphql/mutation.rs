//! Mutations: each parses its arguments, calls one service function and
//! returns the changed object with its new version. Roles are enforced in
//! the service layer, not here.

use async_graphql::{Context, InputObject, Object, Result, ID};
use tower_sessions::Session;

use super::admin::User;
use super::enums::{PageStatus, Role};
use super::query::{db, viewer};
use super::review::two_person_rule;
use super::types::{Category, Page, Question};
use super::{parse_id, Gql};
use crate::auth::session;
use crate::service::categories_edit as categories;
use crate::service::pages_edit::{self as pages, PageChanges};
use crate::service::questions::QuestionView;
use crate::service::questions_edit::{self as questions, NewQuestion, QuestionChanges, Transition};
use crate::service::users::{self, NewUser, UserChange};
use crate::service::{schedule, Visibility};
use chrono::{DateTime, Utc};

/// The client's address, for sign-in throttling and the audit log.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

pub struct MutationRoot;

fn staff_question(row: entity::question::Model) -> Question {
    Question::new(QuestionView::new(row, Visibility::Everything))
}

fn staff_category(row: entity::category::Model) -> Category {
    Category::new(row, Visibility::Everything)
}

fn staff_page(row: entity::page::Model) -> Page {
    Page::new(row, Visibility::Everything)
}

async fn start_session(ctx: &Context<'_>, user: &entity::user::Model) -> Result<()> {
    session::start(ctx.data::<Session>()?, user).await.gql()
}

/// A new question; it starts as a draft at the end of its category.
#[derive(InputObject)]
pub struct CreateQuestionInput {
    pub category_id: ID,
    /// Plain text, 1 to 500 characters.
    pub question: String,
    /// Markdown, 1 to 20,000 characters.
    pub answer: String,
    /// Lower-case letters, numbers and hyphens, unique on the page; made from the question if left out.
    pub slug: Option<String>,
}

/// Changes to a question's working copy. Leave out what stays the same.
#[derive(InputObject)]
pub struct UpdateQuestionInput {
    /// Plain text, 1 to 500 characters.
    pub question: Option<String>,
    /// Markdown, 1 to 20,000 characters.
    pub answer: Option<String>,
    pub slug: Option<String>,
    /// Why, kept with the revision (up to 500 characters).
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct CreateCategoryInput {
    pub page_id: ID,
    /// 1 to 200 characters.
    pub title: String,
    /// Made from the title if left out.
    pub slug: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateCategoryInput {
    pub title: Option<String>,
    pub slug: Option<String>,
}

#[derive(InputObject)]
pub struct CreatePageInput {
    /// 1 to 200 characters.
    pub title: String,
    /// Made from the title if left out.
    pub slug: Option<String>,
    /// Markdown.
    pub intro: Option<String>,
    /// Markdown.
    pub footer: Option<String>,
}

/// Editors may change the text; status needs a publisher; slug needs an admin.
#[derive(InputObject)]
pub struct UpdatePageInput {
    pub title: Option<String>,
    pub intro: Option<String>,
    pub footer: Option<String>,
    pub slug: Option<String>,
    /// DRAFT or LIVE.
    pub status: Option<PageStatus>,
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// At least 12 characters.
    pub password: String,
}

#[Object(name = "ContentMutation")]
impl MutationRoot {
    /// Signs in; sets the session cookie. Wrong email and wrong password get
    /// the same answer. Returns the user once signed in, or null when the
    /// sign-in has a step left (`signInStep` says which): the code from the
    /// user's authenticator app, or setting one up first.
    async fn sign_in(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> Result<Option<User>> {
        let addr = ctx.data_opt::<ClientAddr>().map(|a| a.0.as_str());
        let requirement = super::two_factor::requirement(ctx);
        let (user, next) = users::sign_in(db(ctx), &email, &password, addr, requirement)
            .await
            .gql()?;
        super::two_factor::begin_session(ctx, user, next).await
    }

    /// Signs out: the session is deleted on the server, so its cookie stops working.
    async fn sign_out(&self, ctx: &Context<'_>) -> Result<bool> {
        users::record_sign_out(db(ctx), viewer(ctx)).await.gql()?;
        session::end(ctx.data::<Session>()?).await.gql()?;
        Ok(true)
    }

    /// Changes your own password. Your other sessions stop working.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<User> {
        let user =
            users::change_own_password(db(ctx), viewer(ctx), &current_password, &new_password)
                .await
                .gql()?;
        start_session(ctx, &user).await?;
        Ok(User(user))
    }

    /// Creates the first admin with the one-time link `qanda serve` prints,
    /// and signs them in (returning them), or, where two-factor sign-in is
    /// required of admins, has them set up an app first (returning null).
    async fn complete_setup(
        &self,
        ctx: &Context<'_>,
        token: String,
        email: String,
        display_name: String,
        password: String,
    ) -> Result<Option<User>> {
        let input = NewUser {
            email: &email,
            display_name: &display_name,
            role: crate::domain::Role::Admin,
            password: &password,
        };
        let requirement = super::two_factor::requirement(ctx);
        let (user, next) = users::complete_setup(db(ctx), &token, input, requirement)
            .await
            .gql()?;
        super::two_factor::begin_session(ctx, user, next).await
    }

    async fn create_question(
        &self,
        ctx: &Context<'_>,
        input: CreateQuestionInput,
    ) -> Result<Question> {
        let input = NewQuestion {
            category_id: parse_id("categoryId", &input.category_id)?,
            question: &input.question,
            answer: &input.answer,
            slug: input.slug.as_deref(),
        };
        Ok(staff_question(
            questions::create(db(ctx), viewer(ctx), input).await.gql()?,
        ))
    }

    /// Edits the working copy; the public sees the change once it is published.
    async fn update_question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: UpdateQuestionInput,
    ) -> Result<Question> {
        let changes = QuestionChanges {
            question: input.question.as_deref(),
            answer: input.answer.as_deref(),
            slug: input.slug.as_deref(),
            note: input.note.as_deref(),
        };
        let row = questions::update(db(ctx), viewer(ctx), parse_id("id", &id)?, version, changes)
            .await
            .gql()?;
        Ok(staff_question(row))
    }

    /// Moves a question to a 1-based position in a category (the same one or another).
    async fn move_question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        category_id: ID,
        position: i32,
    ) -> Result<Question> {
        let (id, category_id) = (parse_id("id", &id)?, parse_id("categoryId", &category_id)?);
        let row = questions::move_to(db(ctx), viewer(ctx), id, version, category_id, position)
            .await
            .gql()?;
        Ok(staff_question(row))
    }

    /// Makes the working copy public (publishers), with an optional public
    /// change note readers see under the page's updates.
    async fn publish_question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "What changed, for readers: plain text, up to 300 characters.")]
        change_note: Option<String>,
    ) -> Result<Question> {
        let id = parse_id("id", &id)?;
        let note = change_note.as_deref();
        let rule = two_person_rule(ctx);
        let row = questions::publish(db(ctx), viewer(ctx), id, version, note, rule)
            .await
            .gql()?;
        Ok(staff_question(row))
    }

    /// Takes a question off the public page, back to draft.
    async fn unpublish_question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
    ) -> Result<Question> {
        transition(ctx, id, version, Transition::Unpublish).await
    }

    /// Hides a question from the public and keeps it, restorable.
    async fn archive_question(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<Question> {
        transition(ctx, id, version, Transition::Archive).await
    }

    /// Brings an archived question back as a draft.
    async fn restore_question(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<Question> {
        transition(ctx, id, version, Transition::Restore).await
    }

    /// Deletes a draft that was never published, or an archived question. Returns it as it was.
    async fn delete_question(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<Question> {
        let row = questions::delete(db(ctx), viewer(ctx), parse_id("id", &id)?, version)
            .await
            .gql()?;
        Ok(staff_question(row))
    }

    /// Brings back an earlier revision's text as a new draft version of the
    /// working copy. `version` is the question's version the editor saw; if
    /// someone saved since, the restore is refused with `CONFLICT`.
    async fn restore_revision(
        &self,
        ctx: &Context<'_>,
        question_id: ID,
        version: i32,
        revision_id: ID,
    ) -> Result<Question> {
        let (question_id, revision_id) = (
            parse_id("questionId", &question_id)?,
            parse_id("revisionId", &revision_id)?,
        );
        let row =
            questions::restore_revision(db(ctx), viewer(ctx), question_id, version, revision_id)
                .await
                .gql()?;
        Ok(staff_question(row))
    }

    async fn create_category(
        &self,
        ctx: &Context<'_>,
        input: CreateCategoryInput,
    ) -> Result<Category> {
        let page_id = parse_id("pageId", &input.page_id)?;
        let row = categories::create(
            db(ctx),
            viewer(ctx),
            page_id,
            &input.title,
            input.slug.as_deref(),
        )
        .await
        .gql()?;
        Ok(staff_category(row))
    }

    async fn update_category(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: UpdateCategoryInput,
    ) -> Result<Category> {
        let row = categories::update(
            db(ctx),
            viewer(ctx),
            parse_id("id", &id)?,
            version,
            input.title.as_deref(),
            input.slug.as_deref(),
        )
        .await
        .gql()?;
        Ok(staff_category(row))
    }

    /// Moves a category to a 1-based position on its page.
    async fn move_category(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        position: i32,
    ) -> Result<Category> {
        let row = categories::move_to(
            db(ctx),
            viewer(ctx),
            parse_id("id", &id)?,
            version,
            position,
        )
        .await
        .gql()?;
        Ok(staff_category(row))
    }

    /// Hides a category and its questions from the public.
    async fn archive_category(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<Category> {
        let row =
            categories::set_archived(db(ctx), viewer(ctx), parse_id("id", &id)?, version, true)
                .await
                .gql()?;
        Ok(staff_category(row))
    }

    async fn restore_category(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<Category> {
        let row =
            categories::set_archived(db(ctx), viewer(ctx), parse_id("id", &id)?, version, false)
                .await
                .gql()?;
        Ok(staff_category(row))
    }

    /// Deletes an empty category. Returns it as it was.
    async fn delete_category(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<Category> {
        let row = categories::delete(db(ctx), viewer(ctx), parse_id("id", &id)?, version)
            .await
            .gql()?;
        Ok(staff_category(row))
    }

    /// A new page, as a draft (admins only).
    async fn create_page(&self, ctx: &Context<'_>, input: CreatePageInput) -> Result<Page> {
        let changes = PageChanges {
            title: Some(&input.title),
            intro: input.intro.as_deref(),
            footer: input.footer.as_deref(),
            slug: input.slug.as_deref(),
            status: None,
        };
        Ok(staff_page(
            pages::create(db(ctx), viewer(ctx), changes).await.gql()?,
        ))
    }

    /// Changes the page's working copy (editors): readers see its title,
    /// introduction and footer once a publisher publishes the page or puts
    /// it live. Changing its status needs a publisher, its address an admin.
    async fn update_page(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        input: UpdatePageInput,
    ) -> Result<Page> {
        let changes = PageChanges {
            title: input.title.as_deref(),
            intro: input.intro.as_deref(),
            footer: input.footer.as_deref(),
            slug: input.slug.as_deref(),
            status: input.status.map(Into::into),
        };
        Ok(staff_page(
            pages::update(db(ctx), viewer(ctx), parse_id("id", &id)?, version, changes)
                .await
                .gql()?,
        ))
    }

    /// Publishes the page's working copy (publishers): its title,
    /// introduction and footer, its categories' titles, addresses and order,
    /// and where its published questions stand. Question text is published
    /// with publishQuestion. Announced to webhooks as page.published.
    async fn publish_page(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "What changed, for readers: plain text, up to 300 characters.")]
        change_note: Option<String>,
    ) -> Result<Page> {
        let id = parse_id("id", &id)?;
        let note = change_note.as_deref();
        Ok(staff_page(
            pages::publish(
                db(ctx),
                viewer(ctx),
                id,
                version,
                note,
                two_person_rule(ctx),
            )
            .await
            .gql()?,
        ))
    }

    /// Retires a page (admins only): readers get the notice (410 Gone) or are
    /// redirected (301) to the replacement; the content is kept.
    async fn retire_page(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        #[graphql(desc = "Markdown shown instead of the page, 1 to 20,000 characters.")]
        notice: String,
        #[graphql(desc = "A full https:// address of the page that replaces it.")] replacement_url: Option<String>,
        #[graphql(
            desc = "Send readers straight to the replacement (301) instead of showing the notice.",
            default = false
        )]
        redirect: bool,
    ) -> Result<Page> {
        let input = pages::Retirement {
            notice: &notice,
            replacement_url: replacement_url.as_deref(),
            redirect,
        };
        Ok(staff_page(
            pages::retire(db(ctx), viewer(ctx), parse_id("id", &id)?, version, input)
                .await
                .gql()?,
        ))
    }

    /// Schedules the page to retire by itself at `retireAt` with this notice,
    /// or cancels a scheduled retirement when `retireAt` is null (admins only).
    #[allow(clippy::too_many_arguments)]
    async fn schedule_retirement(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        retire_at: Option<DateTime<Utc>>,
        #[graphql(default)] notice: String,
        replacement_url: Option<String>,
        #[graphql(default = false)] redirect: bool,
    ) -> Result<Page> {
        let input = pages::Retirement {
            notice: &notice,
            replacement_url: replacement_url.as_deref(),
            redirect,
        };
        let row = pages::schedule_retirement(
            db(ctx),
            viewer(ctx),
            parse_id("id", &id)?,
            version,
            retire_at,
            input,
        )
        .await
        .gql()?;
        Ok(staff_page(row))
    }

    /// Sets when a draft is published by itself and when a question leaves
    /// the public page (archived); null clears either (publishers).
    async fn schedule_question(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        publish_at: Option<DateTime<Utc>>,
        expire_at: Option<DateTime<Utc>>,
    ) -> Result<Question> {
        let row = schedule::schedule_question(
            db(ctx),
            viewer(ctx),
            parse_id("id", &id)?,
            version,
            publish_at,
            expire_at,
            two_person_rule(ctx),
        )
        .await
        .gql()?;
        Ok(staff_question(row))
    }

    /// Brings a retired page back to LIVE with all its content (admins only).
    async fn reinstate_page(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<Page> {
        Ok(staff_page(
            pages::reinstate(db(ctx), viewer(ctx), parse_id("id", &id)?, version)
                .await
                .gql()?,
        ))
    }

    /// A new member of staff (admins only).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let input = NewUser {
            email: &input.email,
            display_name: &input.display_name,
            role: input.role.into(),
            password: &input.password,
        };
        Ok(User(
            users::create(db(ctx), viewer(ctx), input).await.gql()?,
        ))
    }

    /// Stops a user signing in; their sessions stop working at once (admins only).
    async fn disable_user(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<User> {
        change_user(ctx, id, version, UserChange::Disable).await
    }

    async fn enable_user(&self, ctx: &Context<'_>, id: ID, version: i32) -> Result<User> {
        change_user(ctx, id, version, UserChange::Enable).await
    }

    async fn set_user_role(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        role: Role,
    ) -> Result<User> {
        change_user(ctx, id, version, UserChange::SetRole(role.into())).await
    }

    /// Sets a new password for a user; their sessions stop working (admins only).
    async fn reset_user_password(
        &self,
        ctx: &Context<'_>,
        id: ID,
        version: i32,
        password: String,
    ) -> Result<User> {
        change_user(ctx, id, version, UserChange::ResetPassword(password)).await
    }
}

async fn transition(ctx: &Context<'_>, id: ID, version: i32, to: Transition) -> Result<Question> {
    let row = questions::transition(db(ctx), viewer(ctx), parse_id("id", &id)?, version, to)
        .await
        .gql()?;
    Ok(staff_question(row))
}

async fn change_user(ctx: &Context<'_>, id: ID, version: i32, change: UserChange) -> Result<User> {
    let row = users::change(db(ctx), viewer(ctx), parse_id("id", &id)?, version, change)
        .await
        .gql()?;
    Ok(User(row))
}
